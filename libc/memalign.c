/*
 * Aligned allocation: over-allocate with malloc and place an extra header
 * (kind K_ALIGNED, see malloc.c) in front of the aligned pointer that
 * records the offset back to the real block, so free() finds it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "malloc_internal.h"

static int pow2(size_t a)
{
	return a != 0 && (a & (a - 1)) == 0;
}

void *memalign(size_t align, size_t n)
{
	if (!pow2(align)) {
		errno = EINVAL;
		return NULL;
	}
	if (align <= 16)
		return malloc(n);
	if (n > SIZE_MAX - align - 32) {
		errno = ENOMEM;
		return NULL;
	}
	char *raw = malloc(n + align + 32);
	if (raw == NULL)
		return NULL;
	if (((uintptr_t)raw & (align - 1)) == 0)
		return raw;
	/* raw is 16-aligned, not align-aligned: 32+ bytes of room for the header pair. */
	uintptr_t a = ((uintptr_t)raw + 32 + align - 1) & ~(uintptr_t)(align - 1);
	malloc_tag_aligned((void *)a, (size_t)(a - (uintptr_t)raw));
	// cppcheck-suppress memleak ; raw is reachable: the header at a records a - raw and free(a) frees it
	return (void *)a;
}

int posix_memalign(void **out, size_t align, size_t n)
{
	if (!pow2(align) || align % sizeof(void *) != 0)
		return EINVAL;
	void *p = memalign(align, n);
	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

void *valloc(size_t n)
{
	return memalign(4096, n);
}
