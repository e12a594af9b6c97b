/*
 * libFuzzer target for netdev's request check (apps/netdev/request.c), the
 * one place a client's message is parsed: whatever it accepts is a known
 * op, within the message, and a SEND's frame is NET_FRAME_MIN..NET_FRAME_MAX
 * bytes right after the net_req.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../../apps/netdev/net_protocol.h"
#include "../../../apps/netdev/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct net_checked c;
	if (net_request_check(d, n, &c) != NET_OK)
		return 0;
	switch (c.op) {
	case NET_OP_SEND:
		if (c.len < NET_FRAME_MIN || c.len > NET_FRAME_MAX ||
		    c.frame != d + sizeof(struct net_req) || sizeof(struct net_req) + c.len != n)
			abort();
		break;
	case NET_OP_RECV:
	case NET_OP_INFO:
		if (n != sizeof(struct net_req))
			abort();
		break;
	default:
		abort();
	}
	return 0;
}
