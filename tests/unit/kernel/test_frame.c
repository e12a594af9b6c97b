/*
 * kernel/mm/frame.c over a fake physical memory: single frames come from
 * the top of a range down and contiguous runs from the bottom up, so two
 * frames allocated one after the other are never physically ascending
 * neighbours (docs/testing.md, "Task memory is not physically
 * contiguous"); every frame is handed out once, zeroed, and the free count
 * follows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/frame.h"
#include "mm/phys.h"

uint64_t phys_base;

#define BASE 0x100000ull
#define PAGES 64
static unsigned char mem[PAGES * 4096 + 8192] __attribute__((aligned(4096)));

static void setup_ranges(void)
{
	struct mem_range r[2] = { { BASE, BASE + 40 * PAGE_SIZE }, { BASE + 48 * PAGE_SIZE, BASE + PAGES * PAGE_SIZE + 100 } };
	memset(mem, 0xff, sizeof(mem));
	phys_base = (uint64_t)(uintptr_t)mem - BASE;
	frame_init(r, 2);
}

static void test_singles_descend(void **state)
{
	(void)state;
	setup_ranges();
	assert_int_equal(frame_free_count(), 40 + 16);
	uint64_t prev = frame_alloc();
	assert_int_equal(prev, BASE + 39 * PAGE_SIZE);
	for (int i = 0; i < 20; i++) {
		uint64_t pa = frame_alloc();
		assert_int_not_equal(pa, prev + PAGE_SIZE);
		assert_int_equal(pa, prev - PAGE_SIZE);
		const unsigned char *p = phys_to_virt(pa);
		for (int b = 0; b < 4096; b++)
			assert_int_equal(p[b], 0);
		prev = pa;
	}
	assert_int_equal(frame_free_count(), 56 - 21);
}

static void test_contig_from_bottom_and_exhaustion(void **state)
{
	(void)state;
	setup_ranges();
	uint64_t run = frame_alloc_contig(4);
	assert_int_equal(run, BASE);
	static uint8_t seen[PAGES + 2];
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < 4; i++)
		seen[i] = 1;
	size_t n = 0;
	uint64_t pa;
	while ((pa = frame_alloc()) != 0) {
		assert_true(pa >= BASE && pa < BASE + PAGES * PAGE_SIZE && pa % PAGE_SIZE == 0);
		size_t idx = (size_t)((pa - BASE) / PAGE_SIZE);
		assert_false(seen[idx]);
		seen[idx] = 1;
		n++;
	}
	assert_int_equal(n, 36 + 16); /* the second range's partial last page is not used */
	assert_int_equal(frame_free_count(), 0);
	assert_int_equal(frame_alloc_contig(1), 0);
	frame_free(BASE + 10 * PAGE_SIZE);
	assert_int_equal(frame_free_count(), 1);
	assert_int_equal(frame_alloc(), BASE + 10 * PAGE_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_singles_descend),
		cmocka_unit_test(test_contig_from_bottom_and_exhaustion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
