/* kernel/task/bundle.c: pack, parse, find, and every rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "task/bundle.h"

static char err[256];
static uint64_t buf[(4 * 4096 + 8192) / 8]; /* 8-byte aligned */
static uint8_t *const b8 = (uint8_t *)buf;
static size_t total;

/* Packs "manifest" (10 bytes), "a" (5000 bytes) and "b" (0 bytes) into buf. */
static int setup(void **state)
{
	static uint8_t a[5000];
	const char *names[] = {"manifest", "a", "b"};
	const void *datas[] = {"task x y\n\n", a, ""};
	size_t sizes[] = {10, sizeof(a), 0};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7);
	memset(buf, 0, sizeof(buf));
	total = bundle_size_for(3, sizes);
	assert_int_equal(total, 4096 + 4096 + 8192);
	assert_int_equal(bundle_pack(buf, sizeof(buf), 3, names, datas, sizes, err, sizeof(err)), 0);
	return 0;
}

static struct keel_bundle_entry *entry(int i)
{
	return (struct keel_bundle_entry *)(b8 + sizeof(struct keel_bundle_header)) + i;
}

static void reject(size_t size, const char *want)
{
	struct keel_bundle b;
	int r = bundle_parse(&b, buf, size, err, sizeof(err));
	if (r == 0 || !strstr(err, want))
		print_error("error: '%s', wanted '%s'\n", err, want);
	assert_true(r < 0);
	assert_non_null(strstr(err, want));
}

static void test_roundtrip(void **state)
{
	struct keel_bundle b;
	const void *d;
	size_t n;
	(void)state;
	assert_int_equal(bundle_parse(&b, buf, total, err, sizeof(err)), 0);
	assert_int_equal(b.count, 3);
	assert_int_equal(b.size, total);
	assert_int_equal(bundle_find(&b, "manifest", &d, &n), 0);
	assert_int_equal(n, 10);
	assert_memory_equal(d, "task x y\n\n", 10);
	assert_int_equal(bundle_find(&b, "a", &d, &n), 0);
	assert_int_equal(n, 5000);
	assert_int_equal(((const uint8_t *)d)[4999], (uint8_t)(4999 * 7));
	assert_int_equal((const uint8_t *)d - b8, 8192);
	assert_int_equal(bundle_find(&b, "b", &d, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(bundle_find(&b, "c", &d, &n), -1);
	assert_int_equal(bundle_find(&b, "manifes", &d, &n), -1);
	assert_int_equal(bundle_find(&b, "manifest2", &d, &n), -1);
	/* a buffer bigger than total_size (page padding) is fine */
	assert_int_equal(bundle_parse(&b, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_int_equal(b.size, total);
}

static void test_reject_header(void **state)
{
	struct keel_bundle b;
	(void)state;
	reject(0, "truncated header");
	reject(23, "truncated header");
	reject(total - 1, "total_size larger than the data");
	b8[0] = 'X';
	reject(total, "bad magic");
	b8[0] = 'K';
	b8[8] = 2;
	reject(total, "unsupported version 2");
	b8[8] = 1;
	b8[12] = 65;
	reject(total, "too many entries: 65");
	b8[12] = 3;
	b8[16] = 100; /* total_size 100: table of 3 entries does not fit */
	b8[17] = 0;
	b8[18] = 0;
	reject(total, "entry table runs past total_size");
	assert_true(bundle_parse(&b, b8 + 1, total, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "aligned"));
	assert_true(bundle_parse(&b, NULL, 100, NULL, 0) < 0);
}

static void test_reject_entries(void **state)
{
	(void)state;
	entry(1)->offset += 8;
	reject(total, "entry 1: offset not 4 KiB aligned");
	entry(1)->offset = 0;
	reject(total, "entry 1: offset inside the header or entry table");
	entry(1)->offset = 8192;
	entry(1)->size = total; /* past the end */
	reject(total, "entry 1: file runs past the end");
	entry(1)->size = UINT64_MAX; /* offset + size wraps */
	reject(total, "entry 1: file runs past the end");
	entry(1)->size = 5000;
	entry(1)->offset = UINT64_MAX - 4095;
	reject(total, "entry 1: file runs past the end");
	entry(1)->offset = 4096; /* overlaps manifest at 4096 */
	reject(total, "entry 1: overlaps entry 0");
}

static void test_reject_names(void **state)
{
	(void)state;
	memset(entry(2)->name, 'n', KEEL_BUNDLE_NAME_MAX); /* unterminated */
	reject(total, "entry 2: name");
	memset(entry(2)->name, 0, KEEL_BUNDLE_NAME_MAX);
	reject(total, "entry 2: name"); /* empty */
	strcpy(entry(2)->name, "b");
	entry(2)->name[5] = 'x'; /* garbage after the NUL */
	reject(total, "entry 2: name");
	entry(2)->name[5] = 0;
	strcpy(entry(2)->name, "../b");
	reject(total, "entry 2: name");
	memset(entry(2)->name, 0, KEEL_BUNDLE_NAME_MAX);
	strcpy(entry(2)->name, "a");
	reject(total, "entry 2: duplicate name of entry 1");
}

static void test_pack_errors(void **state)
{
	static uint8_t out[3 * 4096];
	const char *dup[] = {"x", "x"};
	const char *bad[] = {"x/y"};
	const char *longn[] = {"0123456789012345678901234567890123456789012345678"};
	const void *datas[] = {"1", "2"};
	size_t sizes[] = {1, 1};
	(void)state;
	assert_true(bundle_pack(out, sizeof(out), 2, dup, datas, sizes, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "duplicate"));
	assert_true(bundle_pack(out, sizeof(out), 1, bad, datas, sizes, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "bad name"));
	assert_true(bundle_pack(out, sizeof(out), 1, longn, datas, sizes, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "bad name"));
	assert_true(bundle_pack(out, 4096, 2, dup, datas, sizes, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "too small"));
	sizes[0] = SIZE_MAX - 10;
	assert_int_equal(bundle_size_for(2, sizes), 0);
	assert_int_equal(bundle_size_for(KEEL_BUNDLE_MAX_ENTRIES + 1, sizes), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_roundtrip, setup),
		cmocka_unit_test_setup(test_reject_header, setup),
		cmocka_unit_test_setup(test_reject_entries, setup),
		cmocka_unit_test_setup(test_reject_names, setup),
		cmocka_unit_test(test_pack_errors),
	};
	return cmocka_run_group_tests_name("bundle", tests, NULL, NULL);
}
