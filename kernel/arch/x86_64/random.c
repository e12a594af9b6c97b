#include <keel/errors.h>

#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/random.h"
#include "lib/kstring.h"
#include "lib/panic.h"

#define RETRIES 64

static int rdrand(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

static int rdseed(uint64_t *v)
{
	unsigned char ok;
	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

void random_init(void)
{
	uint64_t v;
	if (!cpu_has.rdrand && !cpu_has.rdseed)
		panic("CPU has neither RDRAND nor RDSEED: refusing to run without randomness");
	if (random_u64(&v))
		panic("RDRAND/RDSEED keep failing");
}

int random_u64(uint64_t *out)
{
	for (int i = 0; i < RETRIES; i++) {
		if (cpu_has.rdrand && rdrand(out))
			return 0;
		if (cpu_has.rdseed && rdseed(out))
			return 0;
		__asm__ volatile("pause");
	}
	return KEEL_EAGAIN;
}

int random_fill(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint64_t v;
	while (n) {
		if (random_u64(&v))
			return KEEL_EAGAIN;
		size_t c = n < 8 ? n : 8;
		memcpy(p, &v, c);
		p += c, n -= c;
	}
	kmem_wipe(&v, sizeof(v));
	return 0;
}
