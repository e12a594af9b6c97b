/* Hardware randomness: RDRAND, RDSEED as fallback, each with retries. */
#ifndef KEEL_ARCH_RANDOM_H
#define KEEL_ARCH_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Stops the boot when the CPU has neither instruction: randomness is never faked. */
void random_init(void);
/* 0, or KEEL_EAGAIN if the hardware kept failing. */
int random_u64(uint64_t *out);
int random_fill(void *buf, size_t n);

#endif
