/*
 * netdev-void: a stand-in for apps/netdev on the frame channel (handle 1)
 * for tests/hosted/netstack-hosted.sh: a NIC on a wire where nobody
 * answers. INFO gives a MAC and MTU 1500, SEND takes every frame, RECV
 * waits its timeout and finds nothing. Mode "broken" (argv[1]) answers
 * the first RECV with a reply whose length disagrees with its header, as
 * a broken driver would. Exits when the client leaves, logging
 * "netdev-void: N frames sent, M receives".
 */
#include <string.h>

#include <keel/syscall.h>

#include "../../../apps/netdev/net_protocol.h"

#define H ((keel_handle_t)1)

static uint8_t buf[KEEL_MSG_MAX];

int main(int argc, char **argv)
{
	int broken = argc > 1 && !strcmp(argv[1], "broken");
	unsigned long sent = 0, recvs = 0;

	for (;;) {
		struct net_req q;
		struct net_rsp r;
		size_t len = sizeof(r);
		long n = keel_chan_recv(H, buf, sizeof(buf));
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < (long)sizeof(q))
			return 1;
		memcpy(&q, buf, sizeof(q));
		memset(&r, 0, sizeof(r));
		r.hdr.op = q.hdr.op;
		r.hdr.len = sizeof(r) - sizeof(r.hdr);
		if (q.hdr.op == NET_OP_INFO) {
			static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
			memcpy(r.mac, mac, sizeof(mac));
			r.mtu = 1500;
		} else if (q.hdr.op == NET_OP_SEND) {
			r.len = (uint32_t)((size_t)n - sizeof(q));
			sent++;
		} else if (broken) {
			r.len = 60; /* says a frame follows; none does */
			r.hdr.len += 60;
		} else {
			keel_handle_t h = H;
			recvs++;
			/* Nothing arrives: wait out the timeout (or the client leaving). */
			if (q.timeout_ms > 0)
				keel_wait(&h, 1, (uint64_t)q.timeout_ms * 1000000u);
			r.status = NET_ETIMEDOUT;
		}
		if (keel_chan_reply(H, &r, len) == KEEL_EPEERCLOSED)
			break;
	}
	keel_logf("netdev-void: %lu frames sent, %lu receives", sent, recvs);
	return 0;
}
