/*
 * A task's data= file booted (docs/manifest.md, docs/abi.md
 * keel_task_data): the bundle entry's own pages, mapped into the task at
 * USER_DATA_BASE read-only and no-execute, without a copy. The pages are
 * measured (the bundle is PAGE_DATA) and lie below the frame allocator, so
 * the mapping is neither PTE_OWNED (never freed at the task's end) nor
 * PTE_HEAP (keel_mem_unmap refuses it): the task can read it, pass it to
 * a syscall as a source buffer (PTE_BUNDLE), and nothing else. The data
 * pages count against no limit, being no one's to spend; the page tables
 * the mapping needs (one per 2 MiB, plus a directory or two) are charged
 * to the task's memory= as mem_map's are.
 */
#include "lib/kprintf.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "task/layout.h"
#include "task/task.h"

int task_map_data(struct task *t, uint64_t pa, uint64_t size, char *err, size_t err_len)
{
	uint64_t pages = PAGE_ROUND_UP(size) / PAGE_SIZE;
	const char *why = 0;
	if (size == 0 || size > MANIFEST_DATA_MAX || (pa & (PAGE_SIZE - 1))) {
		ksnprintf(err, err_len, "size %lu not 1..%u bytes", size, MANIFEST_DATA_MAX);
		return -1;
	}
	if (task_charge(t, pt_tables_missing(t->root, USER_DATA_BASE, pages)))
		why = "its page tables do not fit in the memory limit";
	/* A failure stops the boot (boot_tasks.c): nothing to undo. */
	for (uint64_t i = 0; !why && i < pages; i++)
		if (pt_map(t->root, USER_DATA_BASE + i * PAGE_SIZE, pa + i * PAGE_SIZE,
		           PTE_U | PTE_NX | PTE_BUNDLE))
			why = "out of memory for page tables";
	if (why) {
		ksnprintf(err, err_len, "%s", why);
		return -1;
	}
	t->data_size = size;
	return 0;
}
