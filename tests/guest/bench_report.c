/*
 * The test guest's bench count and bench line, one of each for every bench mode
 * (uefibench.c, svsmbench.c; the bench scripts in tests/bench parse it):
 *   [guest] BENCH name=NAME calls=N median_cycles=M min_cycles=A max_cycles=B
 * Sorts `cycles` in place (insertion sort: n is at most a few thousand and
 * the guest has no libc).
 */
#include "guest.h"

unsigned bench_count(const char *arg)
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

void bench_report(const char *name, uint64_t *cycles, unsigned n)
{
	if (!n)
		return;
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = cycles[i];
		unsigned j = i;
		for (; j > 0 && cycles[j - 1] > x; j--)
			cycles[j] = cycles[j - 1];
		cycles[j] = x;
	}
	con_puts("[guest] BENCH name=");
	con_puts(name);
	con_puts(" calls=");
	con_dec(n);
	con_puts(" median_cycles=");
	con_dec(cycles[n / 2]);
	con_puts(" min_cycles=");
	con_dec(cycles[0]);
	con_puts(" max_cycles=");
	con_dec(cycles[n - 1]);
	con_puts("\n");
}
