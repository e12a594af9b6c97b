/* libc/ printf engine against glibc on the same formats and arguments. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kl.h"

static int mismatches;

/* Formats with both libraries into a buffer of `cap` bytes; records a mismatch. */
static void same(size_t cap, const char *fmt, ...)
{
	char want[512], got[512];
	va_list a, b;
	memset(want, 'W', sizeof(want));
	memset(got, 'W', sizeof(got));
	va_start(a, fmt);
	va_copy(b, a);
	int rw = vsnprintf(cap ? want : NULL, cap, fmt, a);
	int rg = kl_vsnprintf(cap ? got : NULL, cap, fmt, b);
	va_end(b);
	va_end(a);
	if (rw != rg || (cap && memcmp(want, got, cap) != 0)) {
		mismatches++;
		print_error("format \"%s\" cap %zu: glibc %d \"%.*s\" keel %d \"%.*s\"\n", fmt, cap, rw,
			    cap ? (int)cap : 0, want, rg, cap ? (int)cap : 0, got);
	}
}

static void test_integers(void **state)
{
	(void)state;
	mismatches = 0;
	int ints[] = { 0, 1, -1, 7, 42, -42, 1000, INT_MAX, INT_MIN, 255, -255 };
	const char *fmts[] = { "%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+05d", "%.3d",
			       "%8.3d", "%-8.3d|", "%.0d", "%u", "%x", "%X", "%o", "%#x", "%#X",
			       "%#o", "%#08x", "%#.0o", "%.0x", "%hhx", "%hhd", "%hd", "%hu", "%c" };
	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
		for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
			same(64, fmts[f], ints[i]);
	assert_int_equal(mismatches, 0);
}

static void test_long_sizes(void **state)
{
	(void)state;
	mismatches = 0;
	long long ll[] = { 0, 1, -1, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL, -1000000000000LL };
	for (size_t i = 0; i < sizeof(ll) / sizeof(ll[0]); i++) {
		same(64, "%lld %llx %llu %llo", ll[i], ll[i], ll[i], ll[i]);
		same(64, "%ld %lu %lx %#lX", (long)ll[i], (unsigned long)ll[i], (long)ll[i], (long)ll[i]);
		same(64, "%zu %zd %zx", (size_t)ll[i], (ptrdiff_t)ll[i], (size_t)ll[i]);
		same(64, "%jd %ju %td", (intmax_t)ll[i], (uintmax_t)ll[i], (ptrdiff_t)ll[i]);
		same(64, "%25lld|%-25lld|%025lld", ll[i], ll[i], ll[i]);
	}
	assert_int_equal(mismatches, 0);
}

static void test_strings_and_pointers(void **state)
{
	(void)state;
	mismatches = 0;
	const char *strs[] = { "", "a", "hello", "a longer string with spaces" };
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		same(64, "[%s]", strs[i]);
		same(64, "[%10s]", strs[i]);
		same(64, "[%-10s]", strs[i]);
		same(64, "[%.3s]", strs[i]);
		same(64, "[%*s]", 12, strs[i]);
		same(64, "[%-*s]", 12, strs[i]);
		same(64, "[%*s]", -12, strs[i]);
		same(64, "[%.*s]", 2, strs[i]);
		same(64, "[%*.*s]", 8, 4, strs[i]);
	}
	same(64, "%s", (char *)NULL);
	int x;
	same(64, "%p", (void *)&x);
	same(64, "%p", (void *)NULL);
	same(64, "[%20p]", (void *)&x);
	same(64, "[%-20p]", (void *)0x1234);
	same(64, "100%% %c%c", 'o', 'k');
	same(64, "%*d|%-*d", 6, 42, 6, 42);
	same(64, "%.*d", 5, 42);
	same(64, "no conversions at all");
	assert_int_equal(mismatches, 0);
}

static void test_truncation(void **state)
{
	(void)state;
	mismatches = 0;
	for (size_t cap = 0; cap < 20; cap++) {
		same(cap, "%s-%d-%x", "truncate me", 12345, 0xbeef);
		same(cap, "%08.3d|%5s", -7, "ab");
	}
	char big[300];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	same(512, "%s%s", big, "!");
	same(100, "%s", big);
	assert_int_equal(mismatches, 0);
}

static void test_percent_n_refused(void **state)
{
	(void)state;
	char buf[32];
	int n = 0;
	kl_errno = 0;
	assert_int_equal(kl_snprintf(buf, sizeof(buf), "ab%n", &n), -1);
	assert_int_equal(kl_errno, EINVAL);
	assert_int_equal(n, 0);
	assert_int_equal(kl_snprintf(buf, sizeof(buf), "bad %y"), -1);
}

static void test_sprintf_asprintf(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(kl_sprintf(buf, "%s=%04x", "key", 0xab), 8);
	assert_string_equal(buf, "key=00ab");
	char *p = NULL;
	assert_int_equal(kl_asprintf(&p, "%d-%s", -5, "x"), 4);
	assert_non_null(p);
	assert_string_equal(p, "-5-x");
	kl_free(p);
}

static void test_sscanf(void **state)
{
	(void)state;
	int a = 0, b = 0;
	unsigned x = 0;
	char word[16];
	assert_int_equal(kl___isoc99_sscanf("12.34", "%d.%d", &a, &b), 2);
	assert_int_equal(a, 12);
	assert_int_equal(b, 34);
	assert_int_equal(kl___isoc99_sscanf(" ff word rest", "%x %15s", &x, word), 2);
	assert_int_equal(x, 0xff);
	assert_string_equal(word, "word");
	assert_int_equal(kl___isoc99_sscanf("abc", "%d", &a), 0);
	assert_int_equal(kl___isoc99_sscanf("", "%d", &a), EOF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_long_sizes),
		cmocka_unit_test(test_strings_and_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_percent_n_refused),
		cmocka_unit_test(test_sprintf_asprintf),
		cmocka_unit_test(test_sscanf),
	};
	return cmocka_run_group_tests_name("libc-printf", tests, NULL, NULL);
}
