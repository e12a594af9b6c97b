/*
 * Physical frame allocator over the usable RAM above the boot bundle.
 * Frames come from a free list first, then from the untouched part of each
 * range (bump). Frames are returned zeroed.
 */
#ifndef KEEL_MM_FRAME_H
#define KEEL_MM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

void frame_init(const struct mem_range *r, size_t n);
/* A zeroed 4 KiB frame's physical address, or 0 when memory is exhausted. */
uint64_t frame_alloc(void);
/* `n` physically contiguous zeroed frames (for DMA), or 0. */
uint64_t frame_alloc_contig(size_t n);
void frame_free(uint64_t pa);
size_t frame_free_count(void);

#endif
