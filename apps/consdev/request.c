/*
 * Request checks: framing (keel_msg_check, at least a stream_req), a known
 * op, then per op: WRITE carries 1..STREAM_CHUNK_MAX bytes; READ and RESET
 * are exactly a stream_req; READ's max is 1..STREAM_CHUNK_MAX. Then the
 * reply's header.
 */
#include "request.h"

#include <string.h>

#include "stream_protocol.h"

int32_t stream_request_check(const uint8_t *msg, size_t n, struct stream_checked *out)
{
	struct stream_req r;

	if (n < sizeof(r) || keel_msg_check(msg, n) != 0)
		return STREAM_EINVAL;
	memcpy(&r, msg, sizeof(r));
	memset(out, 0, sizeof(*out));
	out->op = r.hdr.op;
	out->timeout_ms = r.timeout_ms;
	switch (r.hdr.op) {
	case STREAM_OP_WRITE:
		if (n == sizeof(r) || n - sizeof(r) > STREAM_CHUNK_MAX)
			return STREAM_EINVAL;
		out->data = msg + sizeof(r);
		out->count = (uint32_t)(n - sizeof(r));
		return STREAM_OK;
	case STREAM_OP_READ:
		if (n != sizeof(r) || r.max == 0 || r.max > STREAM_CHUNK_MAX)
			return STREAM_EINVAL;
		out->max = r.max;
		return STREAM_OK;
	case STREAM_OP_RESET:
		return n == sizeof(r) ? STREAM_OK : STREAM_EINVAL;
	default:
		return STREAM_EINVAL;
	}
}

size_t stream_reply(uint8_t *rsp, const uint8_t *msg, size_t n, const struct stream_checked *c,
                    int32_t status, uint32_t count)
{
	struct stream_rsp r;

	memset(&r, 0, sizeof(r));
	/* Echo the op (when there is one) so the client can match its answer. */
	r.hdr.op =
	    n >= sizeof(struct keel_msg) ? ((const struct keel_msg *)msg)->op : KEEL_OP_ERROR;
	r.status = status;
	r.count = count;
	/* Only a good READ carries bytes after the header. */
	if (status != STREAM_OK || c->op != STREAM_OP_READ)
		count = 0;
	r.hdr.len = (uint32_t)(sizeof(r) - sizeof(r.hdr) + count);
	memcpy(rsp, &r, sizeof(r));
	return sizeof(r) + count;
}
