/*
 * Usable RAM as the shim sees it: the multiboot memory map, copied into the
 * shim (the map itself may lie where IGVM pages go), page-aligned, sorted.
 */
#ifndef SHIM_RAM_H
#define SHIM_RAM_H

#include <stdint.h>

#include "multiboot.h"

#define RAM_MAX_RANGES 32

struct ram_range {
	uint64_t start; /* page aligned */
	uint64_t end;   /* exclusive, page aligned */
};

struct ram_map {
	uint32_t count;
	struct ram_range r[RAM_MAX_RANGES];
};

/* Reads the usable ranges from the multiboot info; fails the boot on a malformed map. */
void ram_from_multiboot(struct ram_map *map, const struct multiboot_info *mbi);

/* 1 if [start, end) lies entirely within one usable range. */
int ram_contains(const struct ram_map *map, uint64_t start, uint64_t end);

/*
 * Lowest address >= `min`, aligned to `align`, where `size` bytes fit in
 * usable RAM below 4 GiB (the shim runs without paging). 0 if none.
 */
uint64_t ram_find(const struct ram_map *map, uint64_t min, uint64_t size, uint64_t align);

/*
 * Writes the map as IGVM memory-map entries (type MEMORY) into `out`
 * (`size` bytes): as many as fit with room for the zero terminator, the
 * rest zeroed. Returns the number of entries written.
 */
uint32_t ram_to_igvm(const struct ram_map *map, void *out, uint32_t size);

#endif
