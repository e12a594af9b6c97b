/*
 * kernel/syscall/sys_mem.c over a fake physical memory (pt.c, uaccess.c
 * real; frames, the task and the device table faked): mem_unmap takes back
 * only what mem_map gave (docs/abi.md), never device or DMA pages.
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
#include "syscall/syscall.h"
#include "task/layout.h"
#include "task/sched.h"

#define FAKE_FRAMES 256
static uint8_t *fake;
static uint64_t next_frame, frees;
uint64_t phys_base;
static struct task task;
static struct manifest_task mt;

uint64_t frame_alloc(void)
{
	if (next_frame >= FAKE_FRAMES)
		return 0;
	uint64_t pa = next_frame++ * PAGE_SIZE;
	memset(fake + pa, 0, PAGE_SIZE);
	return pa;
}

uint64_t frame_alloc_contig(size_t n)
{
	uint64_t pa = next_frame * PAGE_SIZE;
	if (next_frame + n > FAKE_FRAMES)
		return 0;
	next_frame += n;
	return pa;
}

void frame_free(uint64_t pa)
{
	(void)pa;
	frees++;
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

int task_map_anon(struct task *t, uint64_t va, uint64_t pages, uint64_t flags)
{
	if (task_charge(t, pages))
		return KEEL_ENOMEM;
	for (uint64_t i = 0; i < pages; i++)
		if (pt_map(t->root, va + i * PAGE_SIZE, frame_alloc(), flags | PTE_U | PTE_OWNED))
			return KEEL_ENOMEM;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	fake = aligned_alloc(4096, FAKE_FRAMES * PAGE_SIZE);
	phys_base = (uint64_t)(uintptr_t)fake;
	next_frame = 1;
	frees = 0;
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
	assert_int_equal(task.mem_pages, 2);
	assert_int_equal(sys(sys_mem_unmap, (uint64_t)va + PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(task.mem_pages, 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(unmap_gives_back_mem_map_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_refuses_dma_and_device_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
