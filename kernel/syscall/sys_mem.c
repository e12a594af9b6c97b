/*
 * Memory syscalls. Anonymous and DMA memory come from the task's heap
 * region and are separated by an unmapped page. They, and the page tables
 * the heap region needs (device windows included), count against the
 * task's manifest limit, so a task cannot make the kernel spend frames it
 * is not charged for. Device memory needs a `device=` capability.
 * Each call checks and charges first; one that fails leaves nothing behind
 * (no pages, tables, charge or heap address). Unmapping frees tables left
 * empty, and unmapping the top of the heap lets the next mapping reuse it.
 */
#include "arch/x86_64/cpu.h"
#include "mm/frame.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"
#include "platform/devices.h"
#include "platform/platform.h"
#include "syscall/syscall.h"
#include "task/layout.h"
#include "task/sched.h"

/* Where `pages` (+1 guard) of heap VA would go, or 0; heap_commit takes it. */
static uint64_t heap_place(const struct task *t, uint64_t pages)
{
	uint64_t va = t->heap_next;
	if (pages + 1 > (USER_HEAP_END - va) / PAGE_SIZE)
		return 0;
	return va;
}

static void heap_commit(struct task *t, uint64_t va, uint64_t pages)
{
	t->heap_next = va + (pages + 1) * PAGE_SIZE;
}

/* Charge what mapping `pages` at va costs: `owned` data frames plus the missing page tables. */
static int heap_charge(struct task *t, uint64_t va, uint64_t pages, uint64_t owned, uint64_t *charged)
{
	uint64_t n = owned + pt_tables_missing(t->root, va, pages);
	if (task_charge(t, n))
		return KEEL_ENOMEM;
	*charged = n;
	return 0;
}

/*
 * Unmap `pages` from va, freeing the tables left empty and, when
 * `free_owned`, the frames the mappings own; the number of frames freed.
 */
static uint64_t heap_unmap(struct task *t, uint64_t va, uint64_t pages, int free_owned)
{
	uint64_t freed = 0;
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t at = va + i * PAGE_SIZE, old = pt_unmap(t->root, at);
		if (free_owned && (old & PTE_OWNED)) {
			frame_free(old & PTE_ADDR);
			freed++;
		}
		if (i + 1 == pages || !((at + PAGE_SIZE) & (PT_SPAN - 1))) /* last page under this PT */
			freed += pt_prune_user(t->root, at);
		invlpg(at);
	}
	return freed;
}

/* Frames for heap_map: fresh zeroed ones, or the caller's from `pa` on. */
enum heap_frames { HEAP_FRESH, HEAP_GIVEN };

/*
 * Map `pages` at va. All or nothing: on failure what was mapped, and the
 * tables allocated for it, is taken down again; fresh frames are freed,
 * given ones stay the caller's.
 */
static int heap_map(struct task *t, uint64_t va, uint64_t pages, enum heap_frames from,
		    uint64_t pa, uint64_t flags)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t at = va + i * PAGE_SIZE;
		uint64_t f = from == HEAP_FRESH ? frame_alloc() : pa + i * PAGE_SIZE;
		int rc = (f || from == HEAP_GIVEN) ? pt_map(t->root, at, f, flags) : KEEL_ENOMEM;
		if (rc) {
			if (f && from == HEAP_FRESH)
				frame_free(f);
			heap_unmap(t, va, i, from == HEAP_FRESH);
			pt_prune_user(t->root, at); /* tables pt_map made before failing */
			invlpg(at);
			return rc;
		}
	}
	return 0;
}

/* After the top of the heap is unmapped, the next mapping goes one guard page past what is left. */
static void heap_retreat(struct task *t)
{
	uint64_t top = pt_highest_user(t->root, USER_HEAP_BASE, t->heap_next);
	t->heap_next = top ? top + 2 * PAGE_SIZE : USER_HEAP_BASE;
}

/* Length to pages: 0 is EINVAL; more than the heap region could ever hold is ENOMEM (docs/abi.md). */
static int len_to_pages(uint64_t len, uint64_t *pages)
{
	if (!len)
		return KEEL_EINVAL;
	if (len > USER_HEAP_END - USER_HEAP_BASE)
		return KEEL_ENOMEM;
	*pages = PAGE_ROUND_UP(len) / PAGE_SIZE;
	return 0;
}

long sys_mem_map(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t pages, charged, prot = a->a[1];
	if (!a->a[0] || !prot || (prot & ~7ull))
		return KEEL_EINVAL;
	if ((prot & KEEL_PROT_WRITE) && (prot & KEEL_PROT_EXEC))
		return KEEL_EINVAL; /* W^X */
	int rc = len_to_pages(a->a[0], &pages);
	if (rc)
		return rc;
	if (pages > t->mem_limit_pages - t->mem_pages)
		return KEEL_ENOMEM; /* before counting tables over a huge range */
	uint64_t va = heap_place(t, pages);
	if (!va || heap_charge(t, va, pages, pages, &charged))
		return KEEL_ENOMEM;
	uint64_t flags = PTE_U | PTE_OWNED | PTE_HEAP | ((prot & KEEL_PROT_WRITE) ? PTE_W : 0) |
			 ((prot & KEEL_PROT_EXEC) ? 0 : PTE_NX);
	rc = heap_map(t, va, pages, HEAP_FRESH, 0, flags);
	if (rc) {
		task_uncharge(t, charged);
		return rc;
	}
	heap_commit(t, va, pages);
	return (long)va;
}

long sys_mem_unmap(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t va = a->a[0], pages;
	if ((va & (PAGE_SIZE - 1)) || len_to_pages(a->a[1], &pages))
		return KEEL_EINVAL; /* unaligned, zero or wrapping */
	if (va < USER_HEAP_BASE || va >= t->heap_next || pages > (t->heap_next - va) / PAGE_SIZE)
		return KEEL_EINVAL;
	for (uint64_t i = 0; i < pages; i++)
		if ((pt_get(t->root, va + i * PAGE_SIZE) & (PTE_P | PTE_HEAP)) != (PTE_P | PTE_HEAP))
			return KEEL_EINVAL; /* decode first: all of it mapped by mem_map (not device or DMA pages) */
	task_uncharge(t, heap_unmap(t, va, pages, 1));
	if (va + (pages + 1) * PAGE_SIZE == t->heap_next)
		heap_retreat(t);
	return 0;
}

long sys_mmio_map(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t dev = a->a[0], off = a->a[1], len = a->a[2], charged;
	struct device_window w;
	if (dev >= t->mt->ndevices)
		return KEEL_EPERM;
	int rc = platform_device_find(t->mt->devices[dev], &w);
	if (rc)
		return rc;
	if (!len || off > w.size || len > w.size - off)
		return KEEL_EINVAL;
	uint64_t first = (w.pa + off) & PAGE_MASK, end = PAGE_ROUND_UP(w.pa + off + len);
	uint64_t pages = (end - first) / PAGE_SIZE, va = heap_place(t, pages);
	if (!va || heap_charge(t, va, pages, 0, &charged))
		return KEEL_ENOMEM;
	rc = heap_map(t, va, pages, HEAP_GIVEN, first, PTE_U | PTE_W | PTE_NX | PTE_PCD | PTE_PWT);
	if (rc) {
		task_uncharge(t, charged);
		return rc;
	}
	heap_commit(t, va, pages);
	return (long)(va + ((w.pa + off) & (PAGE_SIZE - 1)));
}

/* Free DMA frames; after a share that failed with their state unknown, leak them instead. */
static void dma_free(uint64_t pa, uint64_t pages, int share_rc)
{
	if (share_rc == PLATFORM_DMA_LOST)
		return;
	for (uint64_t i = 0; i < pages; i++)
		frame_free(pa + i * PAGE_SIZE);
}

long sys_dma_alloc(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t pages, charged;
	struct uaddr phys_out = uaddr_from(a->a[1]);
	if (!t->mt->ndevices)
		return KEEL_EPERM;
	int rc = len_to_pages(a->a[0], &pages);
	if (rc)
		return rc;
	rc = uaccess_check(t->root, phys_out, sizeof(uint64_t), UACCESS_WRITE);
	if (rc)
		return rc;
	if (pages > t->mem_limit_pages - t->mem_pages)
		return KEEL_ENOMEM;
	uint64_t va = heap_place(t, pages);
	if (!va || heap_charge(t, va, pages, pages, &charged))
		return KEEL_ENOMEM;
	uint64_t pa = frame_alloc_contig(pages);
	if (!pa) {
		task_uncharge(t, charged);
		return KEEL_ENOMEM;
	}
	/* Shared on SNP before any device can be told where it is; never private memory. */
	rc = platform_dma_share(pa, pages);
	if (rc) {
		dma_free(pa, pages, rc); /* private again, or leaked */
		task_uncharge(t, charged);
		return KEEL_ENOMEM;
	}
	rc = heap_map(t, va, pages, HEAP_GIVEN, pa, PTE_U | PTE_W | PTE_NX | PTE_OWNED | PTE_DMA);
	if (!rc) {
		rc = copy_to_user(t->root, phys_out, &pa, sizeof(pa));
		if (rc)
			heap_unmap(t, va, pages, 0); /* checked above, but never leave a half-done call */
	}
	if (rc) {
		dma_free(pa, pages, platform_dma_unshare(pa, pages));
		task_uncharge(t, charged);
		return rc;
	}
	heap_commit(t, va, pages);
	return (long)va;
}
