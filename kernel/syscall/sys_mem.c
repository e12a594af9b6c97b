/*
 * Memory syscalls. Anonymous and DMA memory come from the task's heap
 * region, are counted against its manifest limit, and are separated by an
 * unmapped page. Device memory needs a `device=` capability.
 */
#include "arch/x86_64/cpu.h"
#include "mm/frame.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"
#include "platform/devices.h"
#include "syscall/syscall.h"
#include "task/layout.h"
#include "task/sched.h"

/* Reserve `pages` (+1 guard) of heap VA; 0 if the region is exhausted. */
static uint64_t heap_reserve(struct task *t, uint64_t pages)
{
	uint64_t va = t->heap_next;
	if (pages + 1 > (USER_HEAP_END - va) / PAGE_SIZE)
		return 0;
	t->heap_next += (pages + 1) * PAGE_SIZE;
	return va;
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
	uint64_t pages, prot = a->a[1];
	if (!a->a[0] || !prot || (prot & ~7ull))
		return KEEL_EINVAL;
	if ((prot & KEEL_PROT_WRITE) && (prot & KEEL_PROT_EXEC))
		return KEEL_EINVAL; /* W^X */
	int rc = len_to_pages(a->a[0], &pages);
	if (rc)
		return rc;
	if (pages > t->mem_limit_pages - t->mem_pages)
		return KEEL_ENOMEM;
	uint64_t va = heap_reserve(t, pages);
	if (!va)
		return KEEL_ENOMEM;
	uint64_t flags = PTE_HEAP | ((prot & KEEL_PROT_WRITE) ? PTE_W : 0) |
			 ((prot & KEEL_PROT_EXEC) ? 0 : PTE_NX);
	rc = task_map_anon(t, va, pages, flags);
	return rc ? rc : (long)va;
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
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t old = pt_unmap(t->root, va + i * PAGE_SIZE);
		invlpg(va + i * PAGE_SIZE);
		if (old & PTE_OWNED) {
			frame_free(old & PTE_ADDR);
			task_uncharge(t, 1);
		}
	}
	return 0;
}

long sys_mmio_map(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t dev = a->a[0], off = a->a[1], len = a->a[2];
	struct device_window w;
	if (dev >= t->mt->ndevices)
		return KEEL_EPERM;
	int rc = platform_device_find(t->mt->devices[dev], &w);
	if (rc)
		return rc;
	if (!len || off > w.size || len > w.size - off)
		return KEEL_EINVAL;
	uint64_t first = (w.pa + off) & PAGE_MASK, end = PAGE_ROUND_UP(w.pa + off + len);
	uint64_t pages = (end - first) / PAGE_SIZE, va = heap_reserve(t, pages);
	if (!va)
		return KEEL_ENOMEM;
	for (uint64_t i = 0; i < pages; i++) {
		rc = pt_map(t->root, va + i * PAGE_SIZE, first + i * PAGE_SIZE,
			    PTE_U | PTE_W | PTE_NX | PTE_PCD | PTE_PWT);
		if (rc) {
			while (i--)
				pt_unmap(t->root, va + i * PAGE_SIZE);
			return rc;
		}
	}
	return (long)(va + ((w.pa + off) & (PAGE_SIZE - 1)));
}

long sys_dma_alloc(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t pages;
	struct uaddr phys_out = uaddr_from(a->a[1]);
	if (!t->mt->ndevices)
		return KEEL_EPERM;
	int rc = len_to_pages(a->a[0], &pages);
	if (rc)
		return rc;
	rc = uaccess_check(t->root, phys_out, sizeof(uint64_t), UACCESS_WRITE);
	if (rc)
		return rc;
	if (task_charge(t, pages))
		return KEEL_ENOMEM;
	uint64_t pa = frame_alloc_contig(pages), va = pa ? heap_reserve(t, pages) : 0;
	for (uint64_t i = 0; va && i < pages; i++)
		if (pt_map(t->root, va + i * PAGE_SIZE, pa + i * PAGE_SIZE, PTE_U | PTE_W | PTE_NX | PTE_OWNED))
			return KEEL_ENOMEM; /* frames mapped so far are freed with the task */
	if (!va) {
		for (uint64_t i = 0; pa && i < pages; i++)
			frame_free(pa + i * PAGE_SIZE);
		task_uncharge(t, pages);
		return KEEL_ENOMEM;
	}
	rc = copy_to_user(t->root, phys_out, &pa, sizeof(pa));
	return rc ? rc : (long)va;
}
