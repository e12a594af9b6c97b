/*
 * kernel/syscall/sys_mem.c over a fake physical memory (pt.c, uaccess.c
 * real; frames, the task and the device table faked): mem_unmap takes back
 * only what mem_map gave (docs/abi.md), never device or DMA pages; every
 * frame a task holds in its heap region, page tables included, is charged
 * against its limit; a failed call leaves nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <keel/errors.h>

#include "mm/frame.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "platform/devices.h"
#include "platform/platform.h"
#include "syscall/syscall.h"
#include "task/layout.h"
#include "task/sched.h"

#define FAKE_FRAMES 1024
static uint8_t *fake;
static uint8_t used[FAKE_FRAMES]; /* frame 0 stays used: 0 means "no frame" */
static uint64_t frees;
static long allocs_left; /* frame_alloc fails once this reaches 0; -1 = never */
uint64_t phys_base;
static struct task task;
static struct manifest_task mt;

uint64_t frame_alloc(void)
{
	if (allocs_left == 0)
		return 0;
	for (uint64_t f = 1; f < FAKE_FRAMES; f++) {
		if (!used[f]) {
			used[f] = 1;
			allocs_left -= allocs_left > 0;
			memset(fake + f * PAGE_SIZE, 0, PAGE_SIZE);
			return f * PAGE_SIZE;
		}
	}
	return 0;
}

uint64_t frame_alloc_contig(size_t n)
{
	for (uint64_t f = 1; f + n <= FAKE_FRAMES; f++) {
		uint64_t k = 0;
		while (k < n && !used[f + k])
			k++;
		if (k == n) {
			memset(used + f, 1, n);
			memset(fake + f * PAGE_SIZE, 0, n * PAGE_SIZE);
			return f * PAGE_SIZE;
		}
		f += k;
	}
	return 0;
}

/* The platform's DMA page state (all private on native; shared/private on SNP), and a scripted result. */
static uint8_t shared[FAKE_FRAMES];
static int share_result;

int platform_dma_share(uint64_t pa, uint64_t pages)
{
	if (share_result)
		return share_result;
	for (uint64_t f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + pages; f++) {
		assert_true(used[f] && !shared[f]);
		shared[f] = 1;
	}
	return 0;
}

int platform_dma_unshare(uint64_t pa, uint64_t pages)
{
	for (uint64_t f = pa / PAGE_SIZE; f < pa / PAGE_SIZE + pages; f++) {
		assert_true(shared[f]);
		shared[f] = 0;
	}
	return 0;
}

void frame_free(uint64_t pa)
{
	assert_true(pa && pa / PAGE_SIZE < FAKE_FRAMES && used[pa / PAGE_SIZE]); /* no double free */
	assert_false(shared[pa / PAGE_SIZE]); /* a shared page never goes back to the allocator */
	used[pa / PAGE_SIZE] = 0;
	frees++;
}

/* Frames allocated and not freed, the task's root table included. */
static uint64_t live_frames(void)
{
	uint64_t n = 0;
	for (uint64_t f = 1; f < FAKE_FRAMES; f++)
		n += used[f];
	return n;
}

struct task *sched_current(void)
{
	return &task;
}

int platform_device_find(const char *name, struct device_window *w)
{
	(void)name;
	*w = (struct device_window){0xfeb00000, 0x1000};
	return 0;
}

int task_charge(struct task *t, uint64_t pages)
{
	if (pages > t->mem_limit_pages - t->mem_pages)
		return KEEL_ENOMEM;
	t->mem_pages += pages;
	return 0;
}

void task_uncharge(struct task *t, uint64_t pages)
{
	t->mem_pages -= pages < t->mem_pages ? pages : t->mem_pages;
}

static int setup(void **state)
{
	(void)state;
	fake = aligned_alloc(4096, FAKE_FRAMES * PAGE_SIZE);
	phys_base = (uint64_t)(uintptr_t)fake;
	memset(used, 0, sizeof(used));
	memset(shared, 0, sizeof(shared));
	share_result = 0;
	frees = 0;
	allocs_left = -1;
	memset(&mt, 0, sizeof(mt));
	strcpy(mt.devices[0], "virtio0");
	mt.ndevices = 1;
	memset(&task, 0, sizeof(task));
	task.mt = &mt;
	task.mem_limit_pages = 64;
	task.heap_next = USER_HEAP_BASE;
	task.root = frame_alloc();
	return fake ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(fake);
	return 0;
}

static long sys(long (*fn)(const struct syscall_args *), uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct syscall_args a = {{a0, a1, a2, 0, 0, 0}};
	return fn(&a);
}

static void unmap_gives_back_mem_map_pages(void **state)
{
	(void)state;
	long va = sys(sys_mem_map, 2 * PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
	assert_true(va > 0);
	assert_int_equal(task.mem_pages, 2 + 3); /* and its PT, PD, PDPT */
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)va + PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(task.mem_pages, 1 + 3);
	assert_int_equal(frees, 1);
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)va + PAGE_SIZE, PAGE_SIZE, 0), KEEL_EINVAL); /* twice */
	assert_int_equal(frees, 1);
}

/* A driver must not free frames a device may still be writing, nor punch holes in a register window. */
static void unmap_refuses_dma_and_device_pages(void **state)
{
	(void)state;
	long out = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
	assert_true(out > 0);
	long dma = sys(sys_dma_alloc, 2 * PAGE_SIZE, (uint64_t)out, 0);
	assert_true(dma > 0);
	long mmio = sys(sys_mmio_map, 0, 0, PAGE_SIZE);
	assert_true(mmio > 0);
	uint64_t charged = task.mem_pages;
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)dma, 2 * PAGE_SIZE, 0), KEEL_EINVAL);
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)dma + PAGE_SIZE, PAGE_SIZE, 0), KEEL_EINVAL);
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)mmio & ~(PAGE_SIZE - 1), PAGE_SIZE, 0), KEEL_EINVAL);
	assert_int_equal(frees, 0);
	assert_int_equal(task.mem_pages, charged);
	assert_true(pt_get(task.root, (uint64_t)dma) & PTE_P);
	assert_true(pt_get(task.root, (uint64_t)mmio & ~(PAGE_SIZE - 1)) & PTE_P);
}

/* The root table is the only frame the task holds outside its heap region here. */
static void assert_heap_charged(void)
{
	assert_int_equal(live_frames() - 1, task.mem_pages);
	assert_true(task.mem_pages <= task.mem_limit_pages);
}

/* Page tables the heap needs are the task's: charged, so the limit bounds them too. */
static void page_tables_count_against_the_limit(void **state)
{
	(void)state;
	long va = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ, 0);
	assert_true(va > 0);
	assert_int_equal(task.mem_pages, 1 + 3); /* the page, its PT, PD and PDPT */
	assert_heap_charged();
}

/* A hostile pattern: keep every other mapping, plus DMA and device windows, until the limit. */
static void every_heap_frame_is_charged(void **state)
{
	(void)state;
	long out = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0), va;
	assert_true(out > 0);
	unsigned n = 0;
	while ((va = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ, 0)) > 0) {
		if (n++ & 1)
			assert_int_equal(sys(sys_mem_unmap, (uint64_t)va, PAGE_SIZE, 0), 0);
		if (n % 7 == 0 && sys(sys_dma_alloc, PAGE_SIZE, (uint64_t)out, 0) < 0)
			break;
		if (n % 11 == 0 && sys(sys_mmio_map, 0, 0, PAGE_SIZE) < 0)
			break;
		assert_heap_charged();
		assert_true(n < 10000);
	}
	assert_heap_charged();
}

/* mem_map/mem_unmap cycles reuse the same addresses and leave no tables or charge behind. */
static void map_unmap_cycles_reuse_the_heap(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		long va = sys(sys_mem_map, 3 * PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
		assert_int_equal(va, USER_HEAP_BASE);
		assert_int_equal(sys(sys_mem_unmap, (uint64_t)va, 3 * PAGE_SIZE, 0), 0);
		assert_int_equal(task.mem_pages, 0);
		assert_int_equal(live_frames(), 1);
	}
	/* Unmapping the tail of the top mapping: the next one starts after a guard page. */
	long va = sys(sys_mem_map, 4 * PAGE_SIZE, KEEL_PROT_READ, 0);
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)va + 2 * PAGE_SIZE, 2 * PAGE_SIZE, 0), 0);
	assert_int_equal(sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ, 0), va + 3 * PAGE_SIZE);
	assert_heap_charged();
}

/* A mem_map that runs out of frames partway leaves no pages, tables, charge or address used. */
static void failed_mem_map_leaves_no_trace(void **state)
{
	(void)state;
	allocs_left = 4; /* PDPT, PD, PT, the first page; the second page fails */
	assert_int_equal(sys(sys_mem_map, 2 * PAGE_SIZE, KEEL_PROT_READ, 0), KEEL_ENOMEM);
	assert_int_equal(task.mem_pages, 0);
	assert_int_equal(live_frames(), 1);
	assert_int_equal(pt_get(task.root, USER_HEAP_BASE), 0);
	allocs_left = -1;
	assert_int_equal(sys(sys_mem_map, 2 * PAGE_SIZE, KEEL_PROT_READ, 0), USER_HEAP_BASE);
	assert_heap_charged();
}

/* A DMA block whose second page table cannot be allocated: all of it goes back, nothing stays charged. */
static void failed_dma_alloc_rolls_back(void **state)
{
	(void)state;
	task.mem_limit_pages = 600;
	long out = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
	assert_int_equal(out, USER_HEAP_BASE);
	/* Fill the first 2 MiB so the DMA block straddles two page tables: 511, 512.. */
	assert_int_equal(sys(sys_mem_map, 508 * PAGE_SIZE, KEEL_PROT_READ, 0), USER_HEAP_BASE + 2 * PAGE_SIZE);
	uint64_t dma_va = USER_HEAP_BASE + 511 * PAGE_SIZE, charged = task.mem_pages, live = live_frames();
	allocs_left = 0;
	assert_int_equal(sys(sys_dma_alloc, 4 * PAGE_SIZE, (uint64_t)out, 0), KEEL_ENOMEM);
	assert_int_equal(task.mem_pages, charged);
	assert_int_equal(live_frames(), live);
	assert_int_equal(pt_get(task.root, dma_va), 0);
	allocs_left = -1;
	assert_int_equal(sys(sys_dma_alloc, 4 * PAGE_SIZE, (uint64_t)out, 0), dma_va); /* same address */
	assert_heap_charged();
}

/* DMA frames are shared (SNP) before the task sees them, and private again before they are freed. */
static void dma_pages_are_shared_then_unshared_on_teardown(void **state)
{
	uint64_t phys = 0;
	(void)state;
	long out = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
	long dma = sys(sys_dma_alloc, 2 * PAGE_SIZE, (uint64_t)out, 0);
	assert_true(dma > 0);
	assert_true(pt_get(task.root, (uint64_t)dma) & PTE_DMA);
	memcpy(&phys, fake + (pt_get(task.root, (uint64_t)out) & PTE_ADDR), sizeof(phys));
	assert_true(shared[phys / PAGE_SIZE] && shared[phys / PAGE_SIZE + 1]);
	pt_destroy_user(task.root); /* the task ends: frame_free asserts each frame is private */
	assert_false(shared[phys / PAGE_SIZE] || shared[phys / PAGE_SIZE + 1]);
	assert_int_equal(live_frames(), 0);
}

/* A page-state change that fails fails the allocation: nothing mapped or charged, frames private. */
static void failed_dma_share_fails_the_allocation(void **state)
{
	(void)state;
	long out = sys(sys_mem_map, PAGE_SIZE, KEEL_PROT_READ | KEEL_PROT_WRITE, 0);
	uint64_t charged = task.mem_pages, live = live_frames(), va = task.heap_next;
	share_result = PLATFORM_DMA_FAILED; /* back to private: the frames are freed */
	assert_int_equal(sys(sys_dma_alloc, 2 * PAGE_SIZE, (uint64_t)out, 0), KEEL_ENOMEM);
	assert_int_equal(task.mem_pages, charged);
	assert_int_equal(live_frames(), live);
	assert_int_equal(pt_get(task.root, va), 0);
	share_result = PLATFORM_DMA_LOST; /* state unknown: the frames are never reused */
	assert_int_equal(sys(sys_dma_alloc, 2 * PAGE_SIZE, (uint64_t)out, 0), KEEL_ENOMEM);
	assert_int_equal(task.mem_pages, charged);
	assert_int_equal(live_frames(), live + 2);
	assert_int_equal(pt_get(task.root, va), 0);
	share_result = 0;
	assert_int_equal(sys(sys_dma_alloc, PAGE_SIZE, (uint64_t)out, 0), va); /* same address */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(unmap_gives_back_mem_map_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_refuses_dma_and_device_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(page_tables_count_against_the_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(every_heap_frame_is_charged, setup, teardown),
		cmocka_unit_test_setup_teardown(map_unmap_cycles_reuse_the_heap, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_mem_map_leaves_no_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_dma_alloc_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(dma_pages_are_shared_then_unshared_on_teardown, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_dma_share_fails_the_allocation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
