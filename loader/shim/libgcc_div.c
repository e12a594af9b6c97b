/*
 * The 64-bit division helpers gcc may call from -m32 code: there is no
 * 32-bit libgcc here. The mem and str functions the shim and the shared
 * IGVM parser use are kernel/lib/string.c, compiled for -m32 (shim.mk).
 */
#include <stdint.h>

/* Shift-and-subtract 64-bit division: slow, but the shim divides rarely. */
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;

	if (d == 0) {
		*rem = 0;
		return 0; /* no trap handler here: callers never divide by zero */
	}
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	*rem = r;
	return q;
}

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t r;
	uint64_t q = udivmod64(n, d, &r);

	if (rem)
		*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	return udivmod64(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	udivmod64(n, d, &r);
	return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t r, un = n < 0 ? -(uint64_t)n : (uint64_t)n,
	            ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t q = udivmod64(un, ud, &r);

	return ((n < 0) != (d < 0)) ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t r, un = n < 0 ? -(uint64_t)n : (uint64_t)n,
	            ud = d < 0 ? -(uint64_t)d : (uint64_t)d;

	udivmod64(un, ud, &r);
	return n < 0 ? -(int64_t)r : (int64_t)r;
}
