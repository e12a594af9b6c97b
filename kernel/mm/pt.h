/*
 * x86-64 4-level page tables, manipulated through phys_to_virt. Used for
 * the kernel's tables and every task's. Pure logic apart from the frame
 * allocator, so host unit tests run it over a fake physical memory.
 */
#ifndef KEEL_MM_PT_H
#define KEEL_MM_PT_H

#include <stdint.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_OWNED (1ull << 9) /* software: the frame belongs to this mapping, free it on teardown */
#define PTE_HEAP (1ull << 10) /* software: a mem_map page, the only kind mem_unmap takes back */
#define PTE_DMA (1ull << 11)  /* software: a dma_alloc page, shared on SNP: unshare before freeing */
/*
 * software: a page of the measured boot bundle (a task's data= file),
 * mapped read-only; RAM in the direct map, never freed (below the frame
 * allocator). User reads through syscalls accept it, as PTE_OWNED.
 */
#define PTE_BUNDLE (1ull << 52)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define USER_TOP 0x0000800000000000ull /* first address past the user half */
#define PT_SPAN (1ull << 21)           /* the VA one last-level table (PT) covers */

/*
 * Bumped by everything here that removes a mapping or a table (pt_unmap,
 * pt_prune_user, pt_destroy_user); mappings are never narrowed in place.
 * A user range checked while it held one value is still mapped with the
 * same rights while it holds it (mm/uaccess.h, struct uspan).
 */
extern uint64_t pt_shrink_gen;

/* Map one 4 KiB page; 0, KEEL_ENOMEM (no frame for a table) or KEEL_EINVAL (already mapped). */
int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Map one 2 MiB page (va, pa 2 MiB aligned). */
int pt_map_2m(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
/* Remove a 4 KiB mapping; returns the old PTE (0 if none was there). */
uint64_t pt_unmap(uint64_t root, uint64_t va);
/* The leaf PTE for a 4 KiB page, or 0. */
uint64_t pt_get(uint64_t root, uint64_t va);
/*
 * Translate `va` as a user access to RAM the task owns: present and user
 * at every level, writable at every level when `write`, and the leaf
 * PTE_OWNED (task image, stack, TLS, mem_map and DMA pages; never an
 * mmio_map window, which is device memory outside the direct map) or, for
 * a read, PTE_BUNDLE (the data= file: read-only RAM).
 * 0 and *pa, or -1.
 */
int pt_translate_user(uint64_t root, uint64_t va, int write, uint64_t *pa);
/*
 * The same rule for every page of [va, va+n) (n > 0, inside the user
 * half), cheaply: one descent per 2 MiB, one AND per page. 0 and *pa the
 * physical address of va, or -1.
 */
int pt_check_user_range(uint64_t root, uint64_t va, uint64_t n, int write, uint64_t *pa);
/* Table frames pt_map would allocate to map `pages` pages from `va` (each missing table once). */
uint64_t pt_tables_missing(uint64_t root, uint64_t va, uint64_t pages);
/*
 * Free the user-half tables covering `va` that are left with no entries,
 * lowest level first (never the root); the number freed. The caller
 * flushes the TLB (invlpg also drops paging-structure caches).
 */
uint64_t pt_prune_user(uint64_t root, uint64_t va);
/* The highest mapped 4 KiB page in [lo, hi) of the user half, or 0 if none (lo > 0). */
uint64_t pt_highest_user(uint64_t root, uint64_t lo, uint64_t hi);
/*
 * Free every user-half table, every PTE_OWNED frame mapped there, and the
 * root. A PTE_DMA frame goes back private first (platform_dma_unshare); one
 * that cannot is never freed.
 */
void pt_destroy_user(uint64_t root);

#endif
