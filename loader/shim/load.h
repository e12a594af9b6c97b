/*
 * Placing an accepted IGVM file's NATIVE directives into guest memory:
 * PAGE_DATA pages, parameter areas (memory map, VP count, command line)
 * inserted at their GPAs, and the NATIVE VP context picked out.
 */
#ifndef SHIM_LOAD_H
#define SHIM_LOAD_H

#include <stdint.h>

#include "igvm_format.h"
#include "igvm_parse.h"
#include "ram.h"

struct load_plan {
	uint32_t native_mask;
	uint64_t lowest_gpa;  /* of any NATIVE target range */
	uint64_t highest_end; /* exclusive end of the highest NATIVE target range */
	uint32_t npages;      /* PAGE_DATA headers for NATIVE */
};

/*
 * Checks every NATIVE target range (below 4 GiB, inside usable RAM, clear
 * of the shim itself) and returns their extent in `plan`. 1 if any target
 * range overlaps [avoid_start, avoid_end) (the module), else 0.
 */
int load_plan(const struct igvm_file *f, const struct ram_map *ram, uint64_t avoid_start,
              uint64_t avoid_end, struct load_plan *plan);

/*
 * Writes the NATIVE pages and parameter areas into guest memory and copies
 * the NATIVE VP context (vp_index 0) to `ctx`. `cmdline` fills a
 * COMMAND_LINE parameter if the file has one. Fails the boot on error.
 */
void load_apply(const struct igvm_file *f, const struct load_plan *plan, const struct ram_map *ram,
                const char *cmdline, IgvmNativeVpContextX64 *ctx);

#endif
