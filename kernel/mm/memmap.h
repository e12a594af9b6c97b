/* Turning the IGVM memory map into usable RAM ranges. Pure logic. */
#ifndef KEEL_MM_MEMMAP_H
#define KEEL_MM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#include <keel/boot_info.h>

struct mem_range {
	uint64_t start, end; /* [start, end), page aligned */
};

/*
 * Collect the MEMORY entries of `e` (at most `max` entries, stopping at the
 * first zero-length one) into `out`, sorted, with everything below `floor`
 * cut off. Returns the number of ranges, or -1 on a malformed entry
 * (overflow) or more ranges than `cap`.
 */
int memmap_ranges(const struct keel_igvm_memmap_entry *e, size_t max, uint64_t floor,
		  struct mem_range *out, size_t cap);

#endif
