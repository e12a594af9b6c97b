/* libc-internal: hooks between malloc.c and memalign.c. */
#ifndef KEEL_LIBC_MALLOC_INTERNAL_H
#define KEEL_LIBC_MALLOC_INTERNAL_H

#include <stddef.h>

/* Marks `aligned` (inside a live block, `offset` bytes past its start, offset >= 32)
 * as an aligned alias whose free() releases the real block. */
void malloc_tag_aligned(void *aligned, size_t offset);

#endif
