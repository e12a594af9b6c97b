/*
 * Bench server: echoes every request on its slot 1 until the client goes
 * away. Kept to the channel calls only, so the round trip measures the
 * channel: a server loop of keel_chan_reply_recv (one syscall per
 * request), except that a BENCH_OP_ECHO_SPLIT request is answered with
 * keel_chan_reply and a separate keel_chan_recv (the two-call loop).
 */
#include <keel/syscall.h>

#include "../hostile/tlog.h"
#include "bench_proto.h"

static uint8_t buf[KEEL_MSG_MAX];

int main(void)
{
	unsigned long served = 0;
	long n = keel_chan_recv(BENCH_SLOT, buf, sizeof(buf));

	for (;;) {
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			tlog("bench-server", "FAIL - chan_recv error");
			return 1;
		}
		served++;
		if (((const struct keel_msg *)buf)->op != BENCH_OP_ECHO_SPLIT) {
			n = keel_chan_reply_recv(BENCH_SLOT, buf, (size_t)n, buf, sizeof(buf));
			continue;
		}
		if (keel_chan_reply(BENCH_SLOT, buf, (size_t)n) < 0) {
			tlog("bench-server", "FAIL - chan_reply error");
			return 1;
		}
		n = keel_chan_recv(BENCH_SLOT, buf, sizeof(buf));
	}
	tlog("bench-server", served ? "client gone, exiting" : "FAIL - client gone, nothing served");
	return served ? 0 : 1;
}
