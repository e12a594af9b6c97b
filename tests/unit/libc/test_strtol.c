/* libc/ strtol family against glibc: values, errno, end pointers, bases. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kl.h"

static const char *inputs[] = {
	"0", "1", "-1", "+42", "  \t\n 17xyz", "0x1f", "0X1F", "0x", "0xg", "-0x10", "010", "09",
	"z", "Z9", "", "   ", "-", "+", "123abc", "7fffffffffffffff", "8000000000000000",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999999", "-18446744073709551615", "0b101", "1010", "777", "zzzz",
	"  -  5", "0x7FFFFFFFFFFFFFFF", "-0", "2147483648", "-2147483649",
};
static const int bases[] = { 0, 2, 8, 10, 16, 36, 1, 37, -1 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int failures;

static void check(const char *what, const char *in, int base, unsigned long long w,
		  unsigned long long g, int ew, int eg, const char *endw, const char *endg)
{
	/* A bad base: glibc leaves *end untouched, we store nptr; both are allowed. */
	int bad_base = base < 0 || base == 1 || base > 36;
	if (w != g || ew != eg || (!bad_base && endw != endg)) {
		failures++;
		print_error("%s(\"%s\", %d): glibc %llu errno %d end %p; keel %llu errno %d end %p\n",
			    what, in, base, w, ew, (const void *)endw, g, eg, (const void *)endg);
	}
}

#define RUN(fn, type)                                                                  \
	do {                                                                           \
		char *ew = NULL, *eg = NULL;                                           \
		errno = 0;                                                             \
		kl_errno = 0;                                                          \
		type w = fn(in, &ew, base);                                            \
		int errw = errno;                                                      \
		type g = kl_##fn(in, &eg, base);                                       \
		check(#fn, in, base, (unsigned long long)w, (unsigned long long)g, errw, \
		      kl_errno, ew, eg);                                               \
	} while (0)

static void test_against_glibc(void **state)
{
	(void)state;
	failures = 0;
	for (size_t i = 0; i < N(inputs); i++) {
		for (size_t b = 0; b < N(bases); b++) {
			const char *in = inputs[i];
			int base = bases[b];
			RUN(strtol, long);
			RUN(strtoul, unsigned long);
			RUN(strtoll, long long);
			RUN(strtoull, unsigned long long);
		}
	}
	assert_int_equal(failures, 0);
}

static void test_null_end_and_atoi(void **state)
{
	(void)state;
	assert_int_equal(kl_strtol("123", NULL, 10), 123);
	assert_int_equal(kl_atoi("  -77 apples"), -77);
	assert_int_equal(kl_atoi("apples"), 0);
	kl_errno = 0;
	assert_int_equal(kl_strtoul("-1", NULL, 10), ULONG_MAX);
	assert_int_equal(kl_errno, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_glibc),
		cmocka_unit_test(test_null_end_and_atoi),
	};
	return cmocka_run_group_tests_name("libc-strtol", tests, NULL, NULL);
}
