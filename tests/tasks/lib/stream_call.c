/* The stream protocol from a test task's side; see stream_call.h. */
#include "stream_call.h"

#include <string.h>

uint8_t stream_call_req[KEEL_MSG_MAX];
uint8_t stream_call_rsp[KEEL_MSG_MAX];

int32_t stream_call(uint32_t op, uint32_t max, uint32_t timeout_ms, size_t payload, uint32_t *count)
{
	struct stream_req r = {
	    {op, (uint32_t)(sizeof(r) - sizeof(r.hdr) + payload)}, max, timeout_ms};
	struct stream_rsp s;
	size_t bytes;
	long n;
	if (count)
		*count = 0;
	memcpy(stream_call_req, &r, sizeof(r));
	n = keel_chan_call(STREAM_CALL_HANDLE, stream_call_req, sizeof(r) + payload,
	                   stream_call_rsp, sizeof(stream_call_rsp));
	if (n < 0)
		return (int32_t)n - 1000;
	if ((size_t)n < sizeof(s))
		return -999;
	memcpy(&s, stream_call_rsp, sizeof(s));
	if (count)
		*count = s.count;
	/* Only a good READ carries bytes: count of them, at most max. */
	bytes = s.status == STREAM_OK && op == STREAM_OP_READ ? s.count : 0;
	if ((size_t)n != sizeof(s) + bytes ||
	    (s.status == STREAM_OK && op == STREAM_OP_READ && s.count > max))
		return -998;
	return s.status;
}

int32_t stream_raw(uint32_t op, uint32_t len_field, size_t n)
{
	struct keel_msg m = {op, len_field};
	struct stream_rsp s;
	long r;
	memset(stream_call_req, 0, sizeof(struct stream_req));
	memcpy(stream_call_req, &m, sizeof(m));
	r = keel_chan_call(STREAM_CALL_HANDLE, stream_call_req, n, stream_call_rsp,
	                   sizeof(stream_call_rsp));
	if (r < (long)sizeof(s))
		return r < 0 ? (int32_t)r - 1000 : -999;
	memcpy(&s, stream_call_rsp, sizeof(s));
	return s.status;
}
