/*
 * Physical memory as the kernel reaches it. Before the kernel's own page
 * tables are live, the boot tables identity-map low memory (phys_base = 0);
 * afterwards every RAM frame is reached through the direct map at
 * KEEL_DIRECT_MAP_BASE. Host unit tests point phys_base at a buffer.
 */
#ifndef KEEL_MM_PHYS_H
#define KEEL_MM_PHYS_H

#include <stdint.h>

#define PAGE_SIZE 4096ull
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ROUND_UP(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

extern uint64_t phys_base;

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + phys_base);
}

#endif
