/*
 * libc/ fortify entry points, the stack protector and abort: an overflow
 * stops the task with status 134 (checked in a child), a correct call
 * behaves like the plain function.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kl.h"

void *kl___memcpy_chk(void *d, const void *s, size_t n, size_t dlen);
void *kl___memset_chk(void *d, int c, size_t n, size_t dlen);
char *kl___strcpy_chk(char *d, const char *s, size_t dlen);
int kl___snprintf_chk(char *buf, size_t cap, int flag, size_t blen, const char *fmt, ...);
int kl___sprintf_chk(char *buf, int flag, size_t blen, const char *fmt, ...);
long kl___fdelt_chk(long d);
_Noreturn void kl___stack_chk_fail(void);
_Noreturn void kl_abort(void);
void kl_exit(int status);
int kl_atexit(void (*fn)(void));

static char dst[8];

static int child_status(void (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void memcpy_over(void) { kl___memcpy_chk(dst, "0123456789", 9, sizeof(dst)); }
static void memset_over(void) { kl___memset_chk(dst, 0, 9, sizeof(dst)); }
static void strcpy_over(void) { kl___strcpy_chk(dst, "12345678", sizeof(dst)); }
static void snprintf_over(void) { kl___snprintf_chk(dst, 9, 1, sizeof(dst), "x"); }
static void sprintf_over(void) { kl___sprintf_chk(dst, 1, sizeof(dst), "%s", "too long!"); }
static void fdelt_over(void) { kl___fdelt_chk(1024); }
static void smash(void) { kl___stack_chk_fail(); }
static void aborts(void) { kl_abort(); }

static int handler_ran;
static void handler(void)
{
	handler_ran++;
	_exit(handler_ran == 1 ? 77 : 78);
}

static void exits_via_atexit(void)
{
	kl_atexit(handler);
	kl_exit(5);
}

static void test_overflows_stop(void **state)
{
	(void)state;
	assert_int_equal(child_status(memcpy_over), 134);
	assert_int_equal(child_status(memset_over), 134);
	assert_int_equal(child_status(strcpy_over), 134);
	assert_int_equal(child_status(snprintf_over), 134);
	assert_int_equal(child_status(sprintf_over), 134);
	assert_int_equal(child_status(fdelt_over), 134);
	assert_int_equal(child_status(smash), 134);
	assert_int_equal(child_status(aborts), 134);
	assert_int_equal(child_status(exits_via_atexit), 77);
}

static void test_in_bounds_work(void **state)
{
	(void)state;
	char buf[8];
	assert_ptr_equal(kl___memcpy_chk(buf, "abcdefgh", 8, sizeof(buf)), buf);
	assert_memory_equal(buf, "abcdefgh", 8);
	kl___strcpy_chk(buf, "1234567", sizeof(buf));
	assert_string_equal(buf, "1234567");
	assert_int_equal(kl___snprintf_chk(buf, sizeof(buf), 1, sizeof(buf), "%d", 123456789), 9);
	assert_string_equal(buf, "1234567");
	assert_int_equal(kl___sprintf_chk(buf, 1, sizeof(buf), "%s", "1234567"), 7);
	assert_int_equal(kl___fdelt_chk(65), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overflows_stop),
		cmocka_unit_test(test_in_bounds_work),
	};
	return cmocka_run_group_tests_name("libc-fortify", tests, NULL, NULL);
}
