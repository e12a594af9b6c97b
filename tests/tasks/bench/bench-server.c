/*
 * Bench server: echoes every request on its slot 1 until the client goes
 * away. Kept to recv + reply so the round trip measures the channel only.
 */
#include <keel/syscall.h>

#include "../hostile/tlog.h"
#include "bench_proto.h"

static uint8_t buf[KEEL_MSG_MAX];

int main(void)
{
	unsigned long served = 0;

	for (;;) {
		long n = keel_chan_recv(BENCH_SLOT, buf, sizeof(buf));
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			tlog("bench-server", "FAIL - chan_recv error");
			return 1;
		}
		if (keel_chan_reply(BENCH_SLOT, buf, (size_t)n) < 0) {
			tlog("bench-server", "FAIL - chan_reply error");
			return 1;
		}
		served++;
	}
	tlog("bench-server", served ? "client gone, exiting" : "FAIL - client gone, nothing served");
	return served ? 0 : 1;
}
