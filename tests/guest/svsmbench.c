/*
 * Mode "svsm-bench [N]" (`make bench`, tests/bench/svsm-icount-bench.sh):
 * N core QUERY_PROTOCOL calls (protocol 0, call 6, answered by the kernel
 * itself), each timed with RDTSC around the whole SVSM call as Linux makes
 * it: the GHCB MSR VMPL request, VMGEXIT, the kernel's call, the resume
 * and the response check. Prints
 *   [guest] BENCH name=svsm_core_query calls=N median_cycles=C min_cycles=A max_cycles=B
 * and exits 0 only if every call answered "core protocol, versions 1..1".
 * Under keel-qemu --icount the cycles are instructions.
 */
#include "guest.h"

#define BENCH_MAX 2000u
#define BENCH_DEFAULT 200u

static uint64_t cycles[BENCH_MAX];

static unsigned count(const char *arg)
{
	unsigned n = 0;
	while (*arg == ' ')
		arg++;
	for (; *arg >= '0' && *arg <= '9'; arg++)
		n = n * 10 + (unsigned)(*arg - '0');
	if (n == 0)
		return BENCH_DEFAULT;
	return n > BENCH_MAX ? BENCH_MAX : n;
}

int svsm_bench(const char *arg)
{
	unsigned n = count(arg);
	for (unsigned i = 0; i < n; i++) {
		struct svsm_call c = {.rax = 6, .rcx = 0ull << 32 | 1};
		uint64_t t0 = rdtsc();
		int rc = svsm_call(&c);
		cycles[i] = rdtsc() - t0;
		if (rc || c.rax != 0 || c.rcx != (1ull << 32 | 1)) {
			con_puts("[guest] svsm-bench: FAIL QUERY_PROTOCOL(0, 1): rax ");
			con_hex(c.rax);
			con_puts(" rcx ");
			con_hex(c.rcx);
			con_puts("\n");
			return 1;
		}
	}
	for (unsigned i = 1; i < n; i++) { /* insertion sort */
		uint64_t x = cycles[i];
		unsigned j = i;
		for (; j > 0 && cycles[j - 1] > x; j--)
			cycles[j] = cycles[j - 1];
		cycles[j] = x;
	}
	con_puts("[guest] BENCH name=svsm_core_query calls=");
	con_dec(n);
	con_puts(" median_cycles=");
	con_dec(cycles[n / 2]);
	con_puts(" min_cycles=");
	con_dec(cycles[0]);
	con_puts(" max_cycles=");
	con_dec(cycles[n - 1]);
	con_puts("\n");
	return 0;
}
