/* libc/ gmtime_r / timegm against glibc, clock_gettime, and failing stubs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include <cmocka.h>

#include "kl.h"

static void same_tm(const struct tm *a, const struct tm *b, time_t t)
{
	if (a->tm_year != b->tm_year || a->tm_mon != b->tm_mon || a->tm_mday != b->tm_mday ||
	    a->tm_hour != b->tm_hour || a->tm_min != b->tm_min || a->tm_sec != b->tm_sec ||
	    a->tm_wday != b->tm_wday || a->tm_yday != b->tm_yday)
		fail_msg("t=%lld: keel %d-%d-%d %d:%d:%d w%d y%d, glibc %d-%d-%d %d:%d:%d w%d y%d",
			 (long long)t, a->tm_year, a->tm_mon, a->tm_mday, a->tm_hour, a->tm_min,
			 a->tm_sec, a->tm_wday, a->tm_yday, b->tm_year, b->tm_mon, b->tm_mday,
			 b->tm_hour, b->tm_min, b->tm_sec, b->tm_wday, b->tm_yday);
}

static void test_gmtime(void **state)
{
	(void)state;
	time_t fixed[] = { 0, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 4107542399LL,
			   -2208988800LL, 253402300799LL /* 9999-12-31 */, 1700000000, -86401 };
	struct tm a, b;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		assert_non_null(kl_gmtime_r(&fixed[i], &a));
		assert_non_null(gmtime_r(&fixed[i], &b));
		same_tm(&a, &b, fixed[i]);
	}
	srand(99);
	for (int i = 0; i < 200000; i++) {
		time_t t = (time_t)(((int64_t)rand() << 20) ^ rand()) % 400000000000LL - 100000000000LL;
		assert_non_null(kl_gmtime_r(&t, &a));
		assert_non_null(gmtime_r(&t, &b));
		same_tm(&a, &b, t);
	}
}

static void test_timegm(void **state)
{
	(void)state;
	srand(5);
	for (int i = 0; i < 100000; i++) {
		struct tm a = { 0 }, b;
		a.tm_year = rand() % 300 - 100;
		a.tm_mon = rand() % 40 - 14;   /* out of range on purpose: normalised */
		a.tm_mday = rand() % 70 - 20;
		a.tm_hour = rand() % 30;
		a.tm_min = rand() % 70;
		a.tm_sec = rand() % 70;
		b = a;
		time_t tk = kl_timegm(&a);
		time_t tg = timegm(&b);
		assert_int_equal(tk, tg);
		same_tm(&a, &b, tg);
	}
}

static void test_clock(void **state)
{
	(void)state;
	struct timespec k, g;
	assert_int_equal(kl_clock_gettime(CLOCK_REALTIME, &k), 0);
	clock_gettime(CLOCK_REALTIME, &g);
	assert_true(llabs((long long)(k.tv_sec - g.tv_sec)) <= 1);
	assert_int_equal(kl_clock_gettime(CLOCK_MONOTONIC, &k), 0);
	assert_true(k.tv_nsec >= 0 && k.tv_nsec < 1000000000);
	kl_errno = 0;
	assert_int_equal(kl_clock_gettime((clockid_t)99, &k), -1);
	assert_int_equal(kl_errno, EINVAL);
}

static void test_random_and_stubs(void **state)
{
	(void)state;
	unsigned char buf[10000];
	memset(buf, 0, sizeof(buf));
	assert_int_equal(kl_syscall(SYS_getrandom, buf, sizeof(buf), 0), (long)sizeof(buf));
	int nonzero = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	assert_true(nonzero > 9000);
	kl_errno = 0;
	assert_int_equal(kl_syscall(SYS_open, "/etc/passwd", 0), -1);
	assert_int_equal(kl_errno, ENOSYS);
	kl_errno = 0;
	assert_null(kl_fopen("/etc/passwd", "r"));
	assert_int_equal(kl_errno, ENOENT);
	assert_null(kl_dlopen("libfoo.so", 0));
	kl_errno = 0;
	assert_int_equal(kl_socket(2, 1, 0), -1);
	assert_int_equal(kl_errno, EAFNOSUPPORT);
}

static int once_calls;
static void once_fn(void)
{
	once_calls++;
}

static void test_pthread_single(void **state)
{
	(void)state;
	int once = 0;
	kl_pthread_once(&once, once_fn);
	kl_pthread_once(&once, once_fn);
	assert_int_equal(once_calls, 1);
	long m[8] = { 0 }; /* pthread_mutex_t storage, zero = PTHREAD_MUTEX_INITIALIZER */
	assert_int_equal(kl_pthread_mutex_lock(m), 0);
	assert_int_equal(kl_pthread_mutex_lock(m), EDEADLK);
	assert_int_equal(kl_pthread_mutex_unlock(m), 0);
	assert_int_equal(kl_pthread_mutex_unlock(m), EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gmtime),
		cmocka_unit_test(test_timegm),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_random_and_stubs),
		cmocka_unit_test(test_pthread_single),
	};
	return cmocka_run_group_tests_name("libc-time", tests, NULL, NULL);
}
