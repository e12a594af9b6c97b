/*
 * Bench client: median TSC cycles of a channel round trip (request and
 * an equal-sized echo) for 0 B, 4 KiB and 64 KiB payloads (the server
 * answering with keel_chan_reply_recv; rt_0_split: 0 B with a separate
 * reply and recv), and of two
 * null syscalls (keel_yield, and an unknown number answered KEEL_ENOSYS),
 * and of a 4 KiB memcpy inside the task (the unit "one 4 KiB copy" that
 * the icount figures compare a 4 KiB round trip against).
 * Prints one machine-readable line per measurement:
 *   BENCH name=rt_4k payload=4096 iters=2000 median_cycles=N min_cycles=N
 * argv[1] = iterations per measurement (default 2000).
 */
#include <string.h>

#include <keel/syscall.h>

#include "../hostile/tlog.h"
#include "bench_proto.h"

#define MAX_ITERS 20000u
#define WARMUP 50u

static uint64_t samples[MAX_ITERS];
static uint8_t req[KEEL_MSG_MAX], rsp[KEEL_MSG_MAX];
static int failures;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static void sort(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static void report(const char *name, unsigned payload, unsigned iters)
{
	struct tline l;

	sort(samples, iters);
	l.len = 0;
	tl_str(&l, "BENCH name=");
	tl_str(&l, name);
	tl_str(&l, " payload=");
	tl_udec(&l, payload);
	tl_str(&l, " iters=");
	tl_udec(&l, iters);
	tl_str(&l, " median_cycles=");
	tl_udec(&l, samples[iters / 2]);
	tl_str(&l, " min_cycles=");
	tl_udec(&l, samples[0]);
	tl_emit(&l);
}

static void round_trips(const char *name, uint32_t op, unsigned payload, unsigned iters)
{
	struct keel_msg *m = (struct keel_msg *)req;
	size_t len = sizeof(*m) + payload;

	m->op = op;
	m->len = payload;
	for (size_t i = sizeof(*m); i < len; i++)
		req[i] = (uint8_t)(i * 13 + payload);
	for (unsigned i = 0; i < WARMUP + iters; i++) {
		uint64_t t0 = rdtsc();
		long r = keel_chan_call(BENCH_SLOT, req, len, rsp, sizeof(rsp));
		uint64_t t1 = rdtsc();
		if (r != (long)len) {
			tlog("bench-client", "FAIL - round trip returned the wrong length");
			failures++;
			return;
		}
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
		/* every echo, outside the timed part: a broken channel gives no figure */
		if (memcmp(req, rsp, len) != 0) {
			tlog("bench-client", "FAIL - echo differs from the request");
			failures++;
			return;
		}
		rsp[len - 1] ^= 0x5a; /* so a stale buffer cannot pass the next check */
	}
	report(name, payload, iters);
}

static void null_syscalls(unsigned iters)
{
	for (unsigned i = 0; i < iters; i++) {
		uint64_t t0 = rdtsc();
		long r = keel_yield();
		samples[i] = rdtsc() - t0;
		failures += r != 0;
	}
	report("null_yield", 0, iters);
	for (unsigned i = 0; i < iters; i++) {
		uint64_t t0 = rdtsc();
		long r = keel_syscall6(KEEL_SYS_COUNT + 100, 0, 0, 0, 0, 0, 0);
		samples[i] = rdtsc() - t0;
		failures += r != KEEL_ENOSYS;
	}
	report("null_enosys", 0, iters);
}

static void copies(unsigned iters)
{
	for (unsigned i = 0; i < iters; i++) {
		uint64_t t0 = rdtsc();
		memcpy(rsp, req, 4096);
		__asm__ volatile("" ::: "memory"); /* the copy happens inside the window */
		samples[i] = rdtsc() - t0;
	}
	report("copy_4k", 4096, iters);
}

int main(int argc, char **argv)
{
	unsigned iters = 0;

	for (const char *s = argc > 1 ? argv[1] : "2000"; *s >= '0' && *s <= '9'; s++)
		iters = iters * 10 + (unsigned)(*s - '0');
	if (iters == 0 || iters > MAX_ITERS)
		iters = 2000;
	round_trips("rt_0", BENCH_OP_ECHO, 0, iters);
	round_trips("rt_0_split", BENCH_OP_ECHO_SPLIT, 0, iters);
	round_trips("rt_4k", BENCH_OP_ECHO, 4096, iters);
	round_trips("rt_64k", BENCH_OP_ECHO, 65536, iters);
	null_syscalls(iters);
	copies(iters);
	tlog("bench-client", failures ? "FAIL - some calls failed" : "done");
	return failures ? 1 : 0;
}
