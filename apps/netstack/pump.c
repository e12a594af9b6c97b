/*
 * Driving lwIP (netstack.h): NO_SYS mode has no thread of its own, so every
 * wait of the task goes through pump(): the idle loop between client
 * requests and the waits inside READ, WRITE and RESET.
 */
#include "netstack.h"

#include <keel/syscall.h>

#include "lwip/timeouts.h"

#include "ipconf.h"
#include "link.h"
#include "tcp_conn.h"

uint64_t now_ms(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t / 1000000u;
}

uint32_t ms_left(uint64_t deadline)
{
	uint64_t now = now_ms();
	if (now >= deadline)
		return 0;
	return deadline - now > UINT32_MAX ? UINT32_MAX : (uint32_t)(deadline - now);
}

void pump(uint32_t wait_ms)
{
	uint32_t sleep = sys_timeouts_sleeptime();
	int r;

	if (link_status() != 0)
		return;
	if (sleep < wait_ms)
		wait_ms = sleep;
	r = link_poll(wait_ms);
	for (int i = 0; r > 0 && i < PUMP_BURST; i++)
		r = link_poll(0);
	sys_check_timeouts();
	conn_settle();
	ipconf_watch();
}
