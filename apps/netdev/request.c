/*
 * Request checks: framing (keel_msg_check, at least a net_req), `reserved`
 * zero, a known op, then per op: SEND carries NET_FRAME_MIN..NET_FRAME_MAX
 * bytes; RECV and INFO are exactly a net_req.
 */
#include "request.h"

#include <string.h>

#include "net_protocol.h"

int32_t net_request_check(const uint8_t *msg, size_t n, struct net_checked *out)
{
	struct net_req r;

	if (n < sizeof(r) || keel_msg_check(msg, n) != 0)
		return NET_EINVAL;
	memcpy(&r, msg, sizeof(r));
	memset(out, 0, sizeof(*out));
	if (r.reserved != 0)
		return NET_EINVAL;
	out->op = r.hdr.op;
	switch (r.hdr.op) {
	case NET_OP_SEND:
		if (n - sizeof(r) < NET_FRAME_MIN || n - sizeof(r) > NET_FRAME_MAX)
			return NET_EINVAL;
		out->frame = msg + sizeof(r);
		out->len = (uint32_t)(n - sizeof(r));
		return NET_OK;
	case NET_OP_RECV:
		out->timeout_ms = r.timeout_ms;
		return n == sizeof(r) ? NET_OK : NET_EINVAL;
	case NET_OP_INFO:
		return n == sizeof(r) ? NET_OK : NET_EINVAL;
	default:
		return NET_EINVAL;
	}
}
