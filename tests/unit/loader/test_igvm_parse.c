/* igvm_parse: round trip of every directive the writer makes, and every
 * malformed-file rejection with its error code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "igvm_parse.h"
#include "igvm_test_util.h"
#include "igvm_write.h"

static uint8_t page_a[4096], page_b[4096];

static void finish(struct igvm_writer *w, uint8_t **f, size_t *len)
{
	assert_int_equal(igvm_writer_finish(w, f, len), 0);
	igvm_writer_free(w);
}

static void two_platforms(struct igvm_writer *w)
{
	igvm_writer_init(w);
	assert_int_equal(igvm_add_platform(w, 1, IGVM_PLATFORM_TYPE_NATIVE, 1), 0);
	assert_int_equal(igvm_add_platform(w, 2, IGVM_PLATFORM_TYPE_SEV_SNP, 1), 0);
}

static int parse(uint8_t *f, size_t len, struct igvm_error *e)
{
	struct igvm_file pf;
	return igvm_parse(&pf, f, len, e);
}

static void test_round_trip_every_directive(void **state)
{
	(void)state;
	struct igvm_writer w;
	IgvmNativeVpContextX64 ctx = { .rip = 0xffffffff81000000ull, .rdi = 0x800000, .cr3 = 0x810000 };
	SEV_VMSA vmsa;
	memset(&vmsa, 0, sizeof(vmsa));
	vmsa.rip = 0x1234;
	vmsa.sev_features = SEV_FEATURE_SNP;
	for (int i = 0; i < 4096; i++) {
		page_a[i] = (uint8_t)i;
		page_b[i] = (uint8_t)(i * 7 + 1);
	}
	two_platforms(&w);
	assert_int_equal(igvm_add_guest_policy(&w, 2, 0x30000), 0);
	assert_int_equal(igvm_add_param_area(&w, 5, 0x2000), 0);
	assert_int_equal(igvm_add_parameter(&w, IGVM_VHT_MEMORY_MAP, 5, 0x10), 0);
	assert_int_equal(igvm_add_param_insert(&w, 0x10000, 3, 5), 0);
	assert_int_equal(igvm_add_page(&w, 0x20000, 1, 0, IGVM_PAGE_DATA_TYPE_NORMAL, page_a, 4096), 0);
	assert_int_equal(igvm_add_page(&w, 0x20000, 2, 0, IGVM_PAGE_DATA_TYPE_NORMAL, page_b, 100), 0);
	assert_int_equal(igvm_add_page(&w, 0x21000, 3, 0, IGVM_PAGE_DATA_TYPE_NORMAL, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x22000, 2, 0, IGVM_PAGE_DATA_TYPE_SECRETS, NULL, 0), 0);
	assert_int_equal(igvm_add_vp_context(&w, 0, 1, 0, &ctx, sizeof(ctx)), 0);
	assert_int_equal(igvm_add_vp_context(&w, 0xFFFFFFFFF000ull, 2, 0, &vmsa, sizeof(vmsa)), 0);
	uint8_t *f;
	size_t len;
	finish(&w, &f, &len);

	struct igvm_file pf;
	struct igvm_error e;
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);
	assert_int_equal(pf.nplatforms, 2);
	assert_int_equal(pf.nheaders, 12);
	assert_int_equal(igvm_platform_mask(&pf, IGVM_PLATFORM_TYPE_SEV_SNP), 2);

	struct igvm_iter it;
	struct igvm_directive d;
	uint32_t expect[] = { 1, 1, 0x101, 0x301, 0x30C, 0x303, 0x302, 0x302, 0x302, 0x302,
			      0x304, 0x304 };
	igvm_iter_init(&it, &pf);
	for (unsigned i = 0; i < 12; i++) {
		assert_int_equal(igvm_iter_next(&it, &d), 1);
		assert_int_equal(d.type, expect[i]);
		switch (i) {
		case 2: assert_int_equal(d.u.policy.policy, 0x30000); break;
		case 3: assert_int_equal(d.u.area.number_of_bytes, 0x2000);
			assert_int_equal(d.u.area.parameter_area_index, 5); break;
		case 4: assert_int_equal(d.u.param.byte_offset, 0x10); break;
		case 5: assert_int_equal(d.gpa, 0x10000); assert_int_equal(d.gpa_size, 0x2000);
			assert_int_equal(d.compatibility_mask, 3); break;
		case 6: assert_memory_equal(d.data, page_a, 4096); assert_int_equal(d.data_size, 4096);
			break;
		case 7: assert_memory_equal(d.data, page_b, 100);
			assert_int_equal(d.data[100], 0); break;
		case 8: assert_null(d.data); assert_int_equal(d.compatibility_mask, 3); break;
		case 9: assert_int_equal(d.u.page.data_type, IGVM_PAGE_DATA_TYPE_SECRETS); break;
		case 10: assert_int_equal(d.vp_platform, IGVM_PLATFORM_TYPE_NATIVE);
			assert_memory_equal(d.data, &ctx, sizeof(ctx)); break;
		case 11: assert_int_equal(d.vp_platform, IGVM_PLATFORM_TYPE_SEV_SNP);
			assert_int_equal(d.gpa, 0xFFFFFFFFF000ull);
			assert_memory_equal(d.data, &vmsa, sizeof(vmsa)); break;
		}
	}
	assert_int_equal(igvm_iter_next(&it, &d), 0);
	free(f);
}

/* A valid minimal file: one platform, one page. */
static void minimal(uint8_t **f, size_t *len)
{
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x1000, 1, 0, 0, page_a, 4096), 0);
	finish(&w, f, len);
}

static void expect_error(uint8_t *f, size_t len, int code)
{
	struct igvm_error e;
	int rc = parse(f, len, &e);
	assert_int_equal(rc, code);
	assert_int_equal(e.code, code);
	assert_non_null(e.msg);
	free(f);
}

static void test_bad_magic(void **s)
{
	(void)s;
	uint8_t *f; size_t len;
	minimal(&f, &len);
	f[0] ^= 1;
	expect_error(f, len, IGVM_ERR_MAGIC);
}

static void test_bad_version(void **s)
{
	(void)s;
	uint8_t *f; size_t len;
	minimal(&f, &len);
	f[4] = 2;
	test_fix_crc(f);
	expect_error(f, len, IGVM_ERR_VERSION);
}

static void test_bad_checksum(void **s)
{
	(void)s;
	uint8_t *f; size_t len;
	minimal(&f, &len);
	f[0x18 + 8] ^= 0x4; /* first platform's mask, not re-summed */
	expect_error(f, len, IGVM_ERR_CHECKSUM);
}

static void test_truncated_file(void **s)
{
	(void)s;
	uint8_t *f; size_t len;
	minimal(&f, &len);
	for (size_t n = 0; n < len; n += (n < 64 ? 1 : 509)) {
		struct igvm_error e;
		assert_int_not_equal(parse(f, n, &e), IGVM_OK);
	}
	expect_error(f, len - 1, IGVM_ERR_TRUNCATED);
}

static void test_header_past_section(void **s)
{
	(void)s;
	uint8_t *f; size_t len;
	minimal(&f, &len);
	uint32_t big = 0x1000;
	memcpy(f + 0x18 + 4, &big, 4); /* first header's length */
	test_fix_crc(f);
	expect_error(f, len, IGVM_ERR_HEADER_BOUNDS);
}

static void test_data_offset_past_end(void **s)
{
	(void)s;
	struct igvm_writer w;
	IGVM_VHS_PAGE_DATA p = { .gpa = 0x1000, .compatibility_mask = 1, .file_offset = 0xFFFFF000u };
	two_platforms(&w);
	assert_int_equal(igvm_add_raw(&w, IGVM_VHT_PAGE_DATA, &p, sizeof(p)), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_DATA_BOUNDS);
}

static void test_overlapping_pages(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x5000, 3, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x9000, 1, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x5000, 2, 0, 0, NULL, 0), 0); /* slow path, SNP bit */
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_OVERLAP);
}

static void test_same_gpa_other_platform_ok(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x9000, 1, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x9000, 2, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x1000, 1, 0, 0, NULL, 0), 0); /* lower, no overlap */
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	struct igvm_error e;
	assert_int_equal(parse(f, len, &e), IGVM_OK);
	free(f);
}

static void test_insert_overlaps_page(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_param_area(&w, 0, 0x3000), 0);
	assert_int_equal(igvm_add_page(&w, 0x12000, 1, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_param_insert(&w, 0x10000, 1, 0), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_OVERLAP);
}

static void test_unknown_required(void **s)
{
	(void)s;
	struct igvm_writer w;
	uint64_t body = 0;
	two_platforms(&w);
	assert_int_equal(igvm_add_raw(&w, 0x3F0, &body, 8), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_UNKNOWN_REQUIRED);
}

static void test_section_order(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x1000, 1, 0, 0, NULL, 0), 0);
	assert_int_equal(igvm_add_platform(&w, 4, IGVM_PLATFORM_TYPE_TDX, 1), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_SECTION_ORDER);
}

static void test_undeclared_mask(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x1000, 4, 0, 0, NULL, 0), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_PLATFORM);
}

static void test_parameter_after_insert(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_param_area(&w, 0, 0x1000), 0);
	assert_int_equal(igvm_add_param_insert(&w, 0x10000, 1, 0), 0);
	assert_int_equal(igvm_add_parameter(&w, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_PARAMETER);
}

static void test_unaligned_gpa(void **s)
{
	(void)s;
	struct igvm_writer w;
	two_platforms(&w);
	assert_int_equal(igvm_add_page(&w, 0x1800, 1, 0, 0, NULL, 0), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_ALIGNMENT);
}

static void test_short_body(void **s)
{
	(void)s;
	struct igvm_writer w;
	uint64_t body = 0x1000;
	two_platforms(&w);
	assert_int_equal(igvm_add_raw(&w, IGVM_VHT_PAGE_DATA, &body, 8), 0);
	uint8_t *f; size_t len;
	finish(&w, &f, &len);
	expect_error(f, len, IGVM_ERR_FIELD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_directive),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_truncated_file),
		cmocka_unit_test(test_header_past_section),
		cmocka_unit_test(test_data_offset_past_end),
		cmocka_unit_test(test_overlapping_pages),
		cmocka_unit_test(test_same_gpa_other_platform_ok),
		cmocka_unit_test(test_insert_overlaps_page),
		cmocka_unit_test(test_unknown_required),
		cmocka_unit_test(test_section_order),
		cmocka_unit_test(test_undeclared_mask),
		cmocka_unit_test(test_parameter_after_insert),
		cmocka_unit_test(test_unaligned_gpa),
		cmocka_unit_test(test_short_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
