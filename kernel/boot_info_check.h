/* Reading and checking the boot contract (loader/include/keel/boot_info.h). */
#ifndef KEEL_BOOT_INFO_CHECK_H
#define KEEL_BOOT_INFO_CHECK_H

#include <keel/boot_info.h>

#include "mm/memmap.h"

#define BOOT_MAX_RANGES 32

struct boot_state {
	struct keel_boot_info info;
	struct mem_range ram[BOOT_MAX_RANGES];    /* all RAM: the direct map */
	struct mem_range usable[BOOT_MAX_RANGES]; /* RAM above the bundle: the frame allocator */
	int nram, nusable;
};

/* Copy and check the boot info and memory map at `gpa` (identity-mapped); stops the boot on error. */
void boot_info_read(uint64_t gpa, struct boot_state *bs);
/* Parse the bundle and manifest, create every task and channel; stops the boot on error. */
void boot_tasks_create(const struct boot_state *bs);

#endif
