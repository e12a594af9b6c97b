/*
 * kernel/mm/pt.c + uaccess.c over a fake physical memory: user copies
 * walk the page tables in software, refuse what is not mapped with the
 * needed rights, and the task-to-task copy crosses pages on both sides.
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
#include "mm/uaccess.h"
#include "platform/platform.h"

#define FAKE_FRAMES 512
static uint8_t *fake;
static uint64_t next_frame, frees;
uint64_t phys_base;

uint64_t frame_alloc(void)
{
	if (next_frame >= FAKE_FRAMES)
		return 0;
	uint64_t pa = next_frame++ * PAGE_SIZE;
	memset(fake + pa, 0, PAGE_SIZE);
	return pa;
}

int platform_dma_unshare(uint64_t pa, uint64_t pages)
{
	(void)pa;
	(void)pages;
	return 0;
}

void frame_free(uint64_t pa)
{
	(void)pa;
	frees++;
}

static int setup(void **state)
{
	(void)state;
	fake = aligned_alloc(4096, FAKE_FRAMES * PAGE_SIZE);
	phys_base = (uint64_t)(uintptr_t)fake;
	next_frame = 1; /* physical 0 means "no frame" */
	pt_shrink_gen++; /* the fake memory starts over: as if every old mapping was removed */
	frees = 0;
	return fake ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(fake);
	return 0;
}

/* A user page at va with flags; returns its frame's host pointer. */
static uint8_t *map_user(uint64_t root, uint64_t va, uint64_t flags)
{
	uint64_t pa = frame_alloc();
	assert_int_equal(pt_map(root, va, pa, flags | PTE_U | PTE_OWNED), 0);
	return phys_to_virt(pa);
}

static void copies_cross_pages(void **state)
{
	uint64_t root = frame_alloc();
	uint8_t *p0 = map_user(root, 0x400000, PTE_W), *p1 = map_user(root, 0x401000, PTE_W);
	char in[100], out[100];
	(void)state;
	for (int i = 0; i < 100; i++)
		in[i] = (char)(i * 3 + 1);
	assert_int_equal(copy_to_user(root, uaddr_from(0x400fd0), in, 100), 0);
	assert_memory_equal(p0 + 0xfd0, in, 0x30);
	assert_memory_equal(p1, in + 0x30, 100 - 0x30);
	memset(out, 0, sizeof(out));
	assert_int_equal(copy_from_user(root, out, uaddr_from(0x400fd0), 100), 0);
	assert_memory_equal(out, in, 100);
}

static void bad_ranges_are_efault(void **state)
{
	uint64_t root = frame_alloc();
	char b[16] = {0};
	(void)state;
	map_user(root, 0x400000, PTE_W);
	map_user(root, 0x401000, 0); /* read-only */
	uint64_t kpa = frame_alloc();
	assert_int_equal(pt_map(root, 0x402000, kpa, PTE_W), 0); /* supervisor-only */
	assert_int_equal(copy_from_user(root, b, uaddr_from(0x3ffff8), 16), KEEL_EFAULT); /* unmapped below */
	assert_int_equal(copy_to_user(root, uaddr_from(0x401000), b, 1), KEEL_EFAULT);      /* read-only */
	assert_int_equal(copy_from_user(root, b, uaddr_from(0x401000), 16), 0);
	assert_int_equal(copy_from_user(root, b, uaddr_from(0x402000), 1), KEEL_EFAULT);    /* no U bit */
	assert_int_equal(copy_from_user(root, b, uaddr_from(0xffff800000000000ull), 1), KEEL_EFAULT);
	assert_int_equal(copy_from_user(root, b, uaddr_from(USER_TOP - 8), 16), KEEL_EFAULT); /* crosses the top */
	assert_int_equal(copy_from_user(root, b, uaddr_from(~0ull - 4), 16), KEEL_EFAULT);    /* wraps */
	assert_int_equal(uaccess_check(root, uaddr_from(0x400ff0), 0x20, UACCESS_WRITE), KEEL_EFAULT);
	assert_int_equal(uaccess_check(root, uaddr_from(0x400ff0), 0x20, UACCESS_READ), 0);
	assert_int_equal(uaccess_check(root, uaddr_from(0x1234), 0, UACCESS_WRITE), 0); /* empty range */
}

static void task_to_task_copy_is_exact(void **state)
{
	uint64_t a = frame_alloc(), b = frame_alloc();
	static uint8_t src[3 * 4096], dst[3 * 4096];
	enum uaccess_side side;
	(void)state;
	for (int i = 0; i < 3; i++) {
		map_user(a, 0x10000 + i * 0x1000ull, PTE_W);
		map_user(b, 0x20000 + i * 0x1000ull, PTE_W);
	}
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + (i >> 8));
	assert_int_equal(copy_to_user(a, uaddr_from(0x10000), src, sizeof(src)), 0);
	/* different page offsets on each side */
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x20123), a, uaddr_from(0x10456), 8000, &side), 0);
	assert_int_equal(copy_from_user(b, dst, uaddr_from(0x20123), 8000), 0);
	assert_memory_equal(dst, src + 0x456, 8000);
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x20000), a, uaddr_from(0x12800), 0x1000, &side), KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_SRC);
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x22800), a, uaddr_from(0x10000), 0x1000, &side), KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_DST);
}

/*
 * An mmio_map window (user, writable, not PTE_OWNED) is not memory for
 * copies: every user-copy entry point refuses it, on either side of a
 * task-to-task copy. (The frame here is fake RAM, so the old rule would
 * have copied instead of failing.)
 */
static void device_windows_are_efault(void **state)
{
	uint64_t a = frame_alloc(), b = frame_alloc(), dev = frame_alloc();
	char buf[16] = {0};
	enum uaccess_side side;
	(void)state;
	map_user(a, 0x400000, PTE_W);
	map_user(b, 0x400000, PTE_W);
	assert_int_equal(pt_map(a, 0x500000, dev, PTE_U | PTE_W | PTE_NX | PTE_PCD | PTE_PWT), 0);
	assert_int_equal(uaccess_check(a, uaddr_from(0x500000), 16, UACCESS_READ), KEEL_EFAULT);
	assert_int_equal(uaccess_check(a, uaddr_from(0x500000), 16, UACCESS_WRITE), KEEL_EFAULT);
	assert_int_equal(uaccess_check(a, uaddr_from(0x400ff8), 0x100010, UACCESS_READ), KEEL_EFAULT);
	assert_int_equal(copy_from_user(a, buf, uaddr_from(0x500000), 16), KEEL_EFAULT);
	assert_int_equal(copy_to_user(a, uaddr_from(0x500008), buf, 8), KEEL_EFAULT);
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x400000), a, uaddr_from(0x500000), 16, &side),
			 KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_SRC);
	assert_int_equal(copy_user_to_user(a, uaddr_from(0x500000), b, uaddr_from(0x400000), 16, &side),
			 KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_DST);
	/* owned RAM next to it still copies */
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x400000), a, uaddr_from(0x400000), 16, &side), 0);
}

/*
 * A data= page (task/task_data.c): bundle RAM mapped user, read-only,
 * PTE_BUNDLE, not owned. Copies may read it; nothing may write it, even
 * if it were mapped writable by mistake; the task's end never frees it.
 */
static void bundle_pages_read_only(void **state)
{
	uint64_t a = frame_alloc(), b = frame_alloc(), data = frame_alloc();
	char buf[16] = {0};
	enum uaccess_side side;
	(void)state;
	memcpy(phys_to_virt(data), "measured bytes!", 16);
	map_user(b, 0x400000, PTE_W);
	assert_int_equal(pt_map(a, 0x7f4000000000ull, data, PTE_U | PTE_NX | PTE_BUNDLE), 0);
	assert_int_equal(pt_map(a, 0x7f4000001000ull, data, PTE_U | PTE_W | PTE_NX | PTE_BUNDLE), 0);
	assert_int_equal(copy_from_user(a, buf, uaddr_from(0x7f4000000000ull), 16), 0);
	assert_memory_equal(buf, "measured bytes!", 16);
	assert_int_equal(uaccess_check(a, uaddr_from(0x7f4000000000ull), 16, UACCESS_WRITE), KEEL_EFAULT);
	assert_int_equal(copy_to_user(a, uaddr_from(0x7f4000000000ull), buf, 8), KEEL_EFAULT);
	assert_int_equal(copy_to_user(a, uaddr_from(0x7f4000001000ull), buf, 8), KEEL_EFAULT);
	assert_int_equal(copy_user_to_user(b, uaddr_from(0x400000), a, uaddr_from(0x7f4000000000ull), 16,
					   &side),
			 0);
	assert_int_equal(copy_user_to_user(a, uaddr_from(0x7f4000000000ull), b, uaddr_from(0x400000), 16,
					   &side),
			 KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_DST);
	frees = 0;
	pt_destroy_user(a);
	assert_int_equal(frees, 4); /* PDPT + PD + PT + root: never the data frame */
}

static void destroy_frees_owned_frames_and_tables(void **state)
{
	uint64_t root = frame_alloc();
	(void)state;
	map_user(root, 0x400000, PTE_W);
	map_user(root, 0x401000, PTE_W);
	assert_int_equal(pt_map(root, 0x402000, 0xfee00000, PTE_W | PTE_U), 0); /* device: not owned */
	uint64_t allocated = next_frame - 1;
	frees = 0;
	pt_destroy_user(root);
	assert_int_equal(frees, allocated); /* 2 frames + PDPT + PD + PT + root */
}

static void unmap_returns_the_old_entry(void **state)
{
	uint64_t root = frame_alloc();
	(void)state;
	map_user(root, 0x400000, PTE_W);
	uint64_t pte = pt_unmap(root, 0x400000);
	assert_true(pte & PTE_P);
	assert_int_equal(pt_get(root, 0x400000), 0);
	assert_int_equal(pt_unmap(root, 0x400000), 0);
	assert_int_equal(pt_map(root, 0x500000, 0x3000, PTE_U), 0);
	assert_int_equal(pt_map(root, 0x500000, 0x4000, PTE_U), KEEL_EINVAL); /* already mapped */
}

/* The range walk: across a 2 MiB boundary, a hole anywhere is EFAULT; a 2 MiB page counts whole. */
static void ranges_cross_tables_and_large_pages(void **state)
{
	uint64_t root = frame_alloc(), pa;
	(void)state;
	for (uint64_t va = 0x5fe000; va < 0x603000; va += 0x1000)
		map_user(root, va, PTE_W);
	assert_int_equal(uaccess_check(root, uaddr_from(0x5fe010), 0x4ff0, UACCESS_WRITE), 0);
	assert_int_equal(pt_check_user_range(root, 0x5fe010, 0x10, 1, &pa), 0);
	assert_int_equal(pa, (pt_get(root, 0x5fe000) & PTE_ADDR) + 0x10);
	assert_int_equal(pt_unmap(root, 0x601000) & PTE_P, PTE_P);
	assert_int_equal(uaccess_check(root, uaddr_from(0x5fe010), 0x4ff0, UACCESS_READ), KEEL_EFAULT);
	assert_int_equal(uaccess_check(root, uaddr_from(0x5fe010), 0x2ff0, UACCESS_READ), 0);
	assert_int_equal(pt_map_2m(root, 0x800000, 0x200000, PTE_P | PTE_U | PTE_W | PTE_OWNED), 0);
	assert_int_equal(pt_check_user_range(root, 0x9ff000, 0x1000, 1, &pa), 0);
	assert_int_equal(pa, 0x3ff000);
	assert_int_equal(uaccess_check(root, uaddr_from(0x9ff000), 0x1001, UACCESS_READ), KEEL_EFAULT);
}

/* A remembered check never outlives an unmap: the same buffer is EFAULT once a page of it is gone. */
static void a_checked_span_goes_stale_on_unmap(void **state)
{
	uint64_t a = frame_alloc(), b = frame_alloc();
	struct uspan src, dst;
	enum uaccess_side side;
	(void)state;
	uint8_t *pa = map_user(a, 0x400000, PTE_W);
	map_user(b, 0x700000, PTE_W);
	memset(pa, 0x5a, 64);
	assert_int_equal(uspan_check(a, uaddr_from(0x400000), 64, UACCESS_READ, &src), 0);
	assert_int_equal(uspan_check(b, uaddr_from(0x700000), 4096, UACCESS_WRITE, &dst), 0);
	assert_int_equal(uspan_copy(&dst, &src, 64, &side), 0);
	assert_int_equal(uaccess_check(b, uaddr_from(0x700000), 4096, UACCESS_WRITE), 0); /* remembered */
	pt_unmap(b, 0x700000);
	assert_int_equal(uaccess_check(b, uaddr_from(0x700000), 4096, UACCESS_WRITE), KEEL_EFAULT);
	assert_int_equal(uspan_copy(&dst, &src, 64, &side), KEEL_EFAULT);
	assert_int_equal(side, UACCESS_SIDE_DST);
}

/* A span copy across pages on both sides, at different offsets, byte for byte. */
static void span_copy_crosses_pages(void **state)
{
	uint64_t a = frame_alloc(), b = frame_alloc();
	struct uspan src, dst;
	enum uaccess_side side;
	uint8_t *s[3], *d[3], out[8200];
	(void)state;
	for (int i = 0; i < 3; i++) {
		s[i] = map_user(a, 0x400000 + i * 0x1000ull, 0);
		d[i] = map_user(b, 0x700000 + i * 0x1000ull, PTE_W);
	}
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 4096; k++)
			s[i][k] = (uint8_t)(i * 4096 + k * 7);
	assert_int_equal(uspan_check(a, uaddr_from(0x400100), 8200, UACCESS_READ, &src), 0);
	assert_int_equal(uspan_check(b, uaddr_from(0x700ff8), 8200, UACCESS_WRITE, &dst), 0);
	assert_int_equal(uspan_copy(&dst, &src, 8200, &side), 0);
	assert_int_equal(copy_from_user(b, out, uaddr_from(0x700ff8), 8200), 0);
	for (int k = 0; k < 8200; k++)
		assert_int_equal(out[k], s[(0x100 + k) / 4096][(0x100 + k) % 4096]);
	(void)d;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(copies_cross_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_ranges_are_efault, setup, teardown),
		cmocka_unit_test_setup_teardown(task_to_task_copy_is_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(device_windows_are_efault, setup, teardown),
		cmocka_unit_test_setup_teardown(bundle_pages_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy_frees_owned_frames_and_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_returns_the_old_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(ranges_cross_tables_and_large_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(a_checked_span_goes_stale_on_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(span_copy_crosses_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
