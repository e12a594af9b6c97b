/*
 * Preemption. `spin` tells the victim it starts, busy-loops for about
 * half a second without a single syscall, then asks the victim how many
 * ticks it counted meanwhile. `tick` calls the victim in a loop until the
 * victim says the spin is over. Without timer preemption (one CPU), the
 * spinner would run its loop to the end before the ticker could run, and
 * the count would be 0. The ticker also prints how long keel_time says
 * it ticked, which hostile-booted.sh compares with the boot's wall time.
 */
#include <string.h>

#include "hostile.h"

#define SPIN_NS 500000000ull
#define SPIN_MIN_TSC (1ull << 30) /* ~0.4 s at 2.5 GHz, in case keel_time is off */
#define TICK_GIVE_UP_COUNT 1000000ull

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* TSC ticks per SPIN_NS, measured against the monotonic clock. */
static uint64_t tsc_per_spin(void)
{
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC), t1;
	uint64_t c0 = rdtsc(), c1;

	do {
		t1 = keel_time(KEEL_CLOCK_MONOTONIC);
	} while (t1 >= 0 && t1 - t0 < 20000000); /* 20 ms */
	c1 = rdtsc();
	if (t0 < 0 || t1 <= t0)
		return 0;
	return (c1 - c0) * (SPIN_NS / 1000000) / ((uint64_t)(t1 - t0) / 1000000);
}

void mode_spin(void)
{
	uint8_t rsp[64];
	uint64_t span = tsc_per_spin(), start, ticks = 0;
	long r;

	if (!tcheck_true("TSC calibrated against keel_time", span > 0))
		return;
	if (span < SPIN_MIN_TSC)
		span = SPIN_MIN_TSC;
	r = hostile_victim_call(VICTIM_OP_SPIN_START, NULL, 0, rsp, sizeof(rsp));
	tcheck_eq("victim accepts SPIN_START", r, (long)sizeof(struct keel_msg));
	start = rdtsc();
	while (rdtsc() - start < span)
		__asm__ volatile("pause");
	r = hostile_victim_call(VICTIM_OP_SPIN_END, NULL, 0, rsp, sizeof(rsp));
	tcheck_eq("victim answers SPIN_END", r, (long)(sizeof(struct keel_msg) + 8));
	memcpy(&ticks, rsp + sizeof(struct keel_msg), sizeof(ticks));
	{
		struct tline l;
		tl_init(&l, tcheck_prefix);
		tl_str(&l, "the ticker ran ");
		tl_udec(&l, ticks);
		tl_str(&l, " times while this task spun without syscalls");
		tl_emit(&l);
	}
	tcheck_true("other tasks ran while this task spun (preemption)", ticks > 0);
}

void mode_tick(void)
{
	uint8_t rsp[64];
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC), now = t0;
	uint32_t stop = 0;
	uint64_t n = 0;

	/* Bounded by count, not keel_time: the clock is what the script checks. */
	while (!stop && n < TICK_GIVE_UP_COUNT) {
		long r = hostile_victim_call(VICTIM_OP_TICK, NULL, 0, rsp, sizeof(rsp));
		if (r != (long)(sizeof(struct keel_msg) + 4)) {
			tcheck_eq("TICK answered", r, (long)(sizeof(struct keel_msg) + 4));
			break;
		}
		memcpy(&stop, rsp + sizeof(struct keel_msg), 4);
		n++;
		now = keel_time(KEEL_CLOCK_MONOTONIC);
	}
	{
		struct tline l;
		tl_init(&l, tcheck_prefix);
		tl_udec(&l, n);
		tl_str(&l, " ticks in ");
		tl_dec(&l, (now - t0) / 1000000);
		tl_str(&l, " ms");
		tl_emit(&l);
	}
	tcheck_true("the spinner finished while we ticked", stop == 1);
	tcheck_true("ticked at least once", n > 0);
}
