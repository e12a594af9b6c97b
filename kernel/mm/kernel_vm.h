/*
 * The kernel's half of every address space: its image (W^X: text RX,
 * rodata R, data RW, all but text NX), the direct map of all RAM (RW, NX),
 * kernel stacks with an unmapped guard below each, and device MMIO.
 * Task address spaces copy the kernel's top-level entries, so the PML4
 * slots used here are created once, before any task exists.
 */
#ifndef KEEL_MM_KERNEL_VM_H
#define KEEL_MM_KERNEL_VM_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

#define KSTACK_PAGES 4

/* Build the kernel tables over `ram` (all RAM, for the direct map) and switch to them. */
void kernel_vm_init(const struct mem_range *ram, size_t n);
uint64_t kernel_vm_root(void);
/* A kernel stack with a guard page below it; returns its top (0 = out of memory). */
uint64_t kstack_alloc(void);
void kstack_free(uint64_t top);
/* Map device registers uncached; returns the kernel VA or NULL. */
void *kernel_vm_map_mmio(uint64_t pa, size_t size);

#endif
