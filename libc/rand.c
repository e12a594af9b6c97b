/*
 * rand and srand: one file, because hosted tasks link it too (the keel_task
 * macro, syscalls/syscalls.mk), so a service draws rand() from the same
 * source booted and hosted, whatever the host's C library does.
 */
#include <stdint.h>
#include <stdlib.h>

#include <keel/syscall.h>

/*
 * rand() draws every value from the kernel's random source (KEEL_SYS_RANDOM)
 * and srand() has no effect: libtpms falls back to rand() seeded with
 * srand(time ^ pid) when OpenSSL's RAND_bytes fails (_plat__GetEntropy),
 * and a seeded generator would make that fallback predictable. If the
 * kernel source fails, the task aborts rather than return a guessable
 * value (docs/libc.md, "rand").
 */
void srand(unsigned seed)
{
	(void)seed;
}

int rand(void)
{
	uint32_t v;
	if (keel_random(&v, sizeof(v)) != (long)sizeof(v))
		abort();
	return (int)(v & RAND_MAX);
}
