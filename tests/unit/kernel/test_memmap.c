/* kernel/mm/memmap.c: IGVM memory map -> usable RAM ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mm/memmap.h"

#define E(first, n, type) {first, n, type, 0, 0}

static void sorted_clipped_and_filtered(void **state)
{
	struct keel_igvm_memmap_entry m[] = {
		E(0x100, 0x3fee0, 0), E(0x0, 0x9f, 0), E(0xfeffc, 4, 1), E(0, 0, 0),
	};
	struct mem_range r[8];
	(void)state;
	assert_int_equal(memmap_ranges(m, 4, 0, r, 8), 2);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].end, 0x9f000);
	assert_int_equal(r[1].start, 0x100000);
	assert_int_equal(r[1].end, 0x3ffe0000);
	assert_int_equal(memmap_ranges(m, 4, 0x1400001, r, 8), 1); /* floor rounds up to a page */
	assert_int_equal(r[0].start, 0x1401000);
	assert_int_equal(r[0].end, 0x3ffe0000);
}

static void malformed_maps_are_refused(void **state)
{
	struct keel_igvm_memmap_entry overflow[] = {E(~0ull >> 12, 10, 0), E(0, 0, 0)};
	struct keel_igvm_memmap_entry overlap[] = {E(0x100, 0x100, 0), E(0x180, 0x100, 0), E(0, 0, 0)};
	struct keel_igvm_memmap_entry many[] = {E(0x100, 1, 0), E(0x200, 1, 0), E(0x300, 1, 0), E(0, 0, 0)};
	struct mem_range r[2];
	(void)state;
	assert_int_equal(memmap_ranges(overflow, 2, 0, r, 2), -1);
	assert_int_equal(memmap_ranges(overlap, 3, 0, r, 2), -1);
	assert_int_equal(memmap_ranges(many, 4, 0, r, 2), -1);
	assert_int_equal(memmap_ranges(many, 2, 0, r, 2), 2); /* max stops early */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sorted_clipped_and_filtered),
		cmocka_unit_test(malformed_maps_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
