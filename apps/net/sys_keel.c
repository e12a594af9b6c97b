/*
 * The two things lwIP asks of its OS in NO_SYS mode (docs/net.md): the time
 * in milliseconds for its timers, and random numbers for initial sequence
 * numbers, ephemeral ports and DHCP transaction ids. Linked into tasks
 * (booted and hosted) next to the lwIP library; the hosted link test
 * provides its own virtual clock and seeded numbers instead.
 */
#include <stdint.h>
#include <stdlib.h>

#include <keel/syscall.h>
#include <keel/syscall_numbers.h>

#include "lwip/sys.h"

u32_t sys_now(void)
{
	int64_t ns = keel_time(KEEL_CLOCK_MONOTONIC);

	/* lwIP's timers work on a wrapping 32-bit millisecond count. */
	if (ns < 0)
		return 0;
	return (u32_t)((uint64_t)ns / 1000000u);
}

/* A guessable ISN or port would let an off-path attacker inject into the
 * bridge's connections: without the kernel source the task stops, as
 * rand() does (libc/rand.c). */
uint32_t keel_net_rand(void)
{
	uint32_t v;

	if (keel_random(&v, sizeof(v)) != (long)sizeof(v))
		abort();
	return v;
}
