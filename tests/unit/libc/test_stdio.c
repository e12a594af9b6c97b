/*
 * libc/ stdio against glibc: every printf-family entry point (plain,
 * v*, d*, fortified __*_chk) prints what glibc's snprintf prints for the
 * same format and arguments (captured where Keel's stdout/stderr go,
 * keel_log); sscanf/vsscanf parse as glibc's; stream calls on stdin,
 * stdout and stderr and the file stubs answer as docs/libc.md says.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kl.h"

extern FILE *kl_stdin, *kl_stdout, *kl_stderr;
int kl_printf(const char *fmt, ...);
int kl_fprintf(FILE *f, const char *fmt, ...);
int kl_vfprintf(FILE *f, const char *fmt, va_list ap);
int kl_vprintf(const char *fmt, va_list ap);
int kl_dprintf(int fd, const char *fmt, ...);
int kl_vdprintf(int fd, const char *fmt, va_list ap);
int kl_vsprintf(char *buf, const char *fmt, va_list ap);
int kl_vasprintf(char **out, const char *fmt, va_list ap);
int kl___printf_chk(int flag, const char *fmt, ...);
int kl___fprintf_chk(FILE *f, int flag, const char *fmt, ...);
int kl___vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap);
int kl___vprintf_chk(int flag, const char *fmt, va_list ap);
int kl___dprintf_chk(int fd, int flag, const char *fmt, ...);
int kl___vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
int kl___vsprintf_chk(char *buf, int flag, size_t blen, const char *fmt, va_list ap);
int kl___vsnprintf_chk(char *buf, size_t cap, int flag, size_t blen, const char *fmt, va_list ap);
int kl___asprintf_chk(char **out, int flag, const char *fmt, ...);
int kl___vasprintf_chk(char **out, int flag, const char *fmt, va_list ap);
int kl_sscanf(const char *s, const char *fmt, ...);
int kl_vsscanf(const char *s, const char *fmt, va_list ap);
int kl___isoc99_vsscanf(const char *s, const char *fmt, va_list ap);
int kl_puts(const char *s);
int kl_fputs(const char *s, FILE *f);
int kl_fputc(int c, FILE *f);
int kl_putc(int c, FILE *f);
int kl_putchar(int c);
size_t kl_fwrite(const void *p, size_t size, size_t n, FILE *f);
int kl_fflush(FILE *f);
int kl___overflow(FILE *f, int c);
int kl___uflow(FILE *f);
int kl_fgetc(FILE *f);
int kl_getc(FILE *f);
char *kl_fgets(char *buf, int n, FILE *f);
size_t kl_fread(void *p, size_t size, size_t n, FILE *f);
int kl_feof(FILE *f);
int kl_ferror(FILE *f);
void kl_clearerr(FILE *f);
int kl_fileno(FILE *f);
int kl_setvbuf(FILE *f, char *buf, int mode, size_t size);
int kl_fclose(FILE *f);
int kl_fseek(FILE *f, long off, int whence);
long kl_ftell(FILE *f);
FILE *kl_fdopen(int fd, const char *mode);
FILE *kl_fopen64(const char *path, const char *mode);
void kl_perror(const char *s);

/* What glibc prints for fmt and its arguments. */
static char want[4096];
static void expect(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
}

/* Captured keel_log output after flushing both streams equals want. */
static void captured_is_want(int r)
{
	kl_fflush(NULL);
	assert_string_equal(kl_stub_captured(), want);
	assert_int_equal(r, (int)strlen(want));
	kl_stub_capture(0);
}

static int v_printf(int which, const char *fmt, ...)
{
	va_list ap;
	int r = -1;
	va_start(ap, fmt);
	switch (which) {
	case 0: r = kl_vprintf(fmt, ap); break;
	case 1: r = kl_vfprintf(kl_stdout, fmt, ap); break;
	case 2: r = kl_vfprintf(kl_stderr, fmt, ap); break;
	case 3: r = kl_vdprintf(1, fmt, ap); break;
	case 4: r = kl___vprintf_chk(1, fmt, ap); break;
	case 5: r = kl___vfprintf_chk(kl_stderr, 1, fmt, ap); break;
	case 6: r = kl___vdprintf_chk(2, 1, fmt, ap); break;
	}
	va_end(ap);
	return r;
}

#define FMT "%d|%5s|%-4x|%08.3u|%c|%lld|%#o|%+i|%%\n"
#define ARGS -42, "ab", 0xbeefu, 7u, 'Z', -1234567890123ll, 8u, 5

static void test_printf_family_to_streams(void **state)
{
	(void)state;
	expect(FMT, ARGS);
	kl_stub_capture(1);
	captured_is_want(kl_printf(FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl_fprintf(kl_stdout, FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl_fprintf(kl_stderr, FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl_dprintf(2, FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl___printf_chk(1, FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl___fprintf_chk(kl_stdout, 1, FMT, ARGS));
	kl_stub_capture(1);
	captured_is_want(kl___dprintf_chk(1, 1, FMT, ARGS));
	for (int w = 0; w <= 6; w++) {
		kl_stub_capture(1);
		captured_is_want(v_printf(w, FMT, ARGS));
	}
	/* a line without '\n' stays buffered until fflush */
	kl_stub_capture(1);
	kl_printf("no newline %d", 1);
	assert_string_equal(kl_stub_captured(), "");
	assert_int_equal(kl_fflush(kl_stdout), 0);
	assert_string_equal(kl_stub_captured(), "no newline 1");
	kl_stub_capture(0);
}

static int v_buf(int which, char *buf, char **out, const char *fmt, ...)
{
	va_list ap;
	int r = -1;
	va_start(ap, fmt);
	switch (which) {
	case 0: r = kl_vsprintf(buf, fmt, ap); break;
	case 1: r = kl___vsprintf_chk(buf, 1, 4096, fmt, ap); break;
	case 2: r = kl___vsnprintf_chk(buf, 4096, 1, 4096, fmt, ap); break;
	case 3: r = kl_vasprintf(out, fmt, ap); break;
	case 4: r = kl___vasprintf_chk(out, 1, fmt, ap); break;
	}
	va_end(ap);
	return r;
}

static void test_printf_family_to_memory(void **state)
{
	(void)state;
	char buf[4096];
	expect(FMT, ARGS);
	for (int w = 0; w <= 2; w++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(v_buf(w, buf, NULL, FMT, ARGS), (int)strlen(want));
		assert_string_equal(buf, want);
	}
	for (int w = 3; w <= 4; w++) {
		char *out = NULL;
		assert_int_equal(v_buf(w, NULL, &out, FMT, ARGS), (int)strlen(want));
		assert_string_equal(out, want);
		kl_free(out);
	}
	char *out = NULL;
	assert_int_equal(kl___asprintf_chk(&out, 1, FMT, ARGS), (int)strlen(want));
	assert_string_equal(out, want);
	kl_free(out);
}

static int v_scan(int which, const char *s, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = which ? kl___isoc99_vsscanf(s, fmt, ap) : kl_vsscanf(s, fmt, ap);
	va_end(ap);
	return r;
}

static void test_scanf(void **state)
{
	(void)state;
	const char *in[] = { "12 0x1f abc 077 -9", "-0 ff xyz 7", "", "  42", "1 2", "z" };
	const char *fmt = "%d %x %3s %o %hhd";
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		int a[3] = { 0 }, b[3] = { 0 };
		unsigned x[3] = { 0 };
		char s[3][8] = { "", "", "" };
		signed char h[3] = { 0 };
		int rg = sscanf(in[i], fmt, &a[0], &x[0], s[0], &b[0], &h[0]);
		int rk = kl_sscanf(in[i], fmt, &a[1], &x[1], s[1], &b[1], &h[1]);
		int rv0 = v_scan(0, in[i], fmt, &a[2], &x[2], s[2], &b[2], &h[2]);
		assert_int_equal(rk, rg);
		assert_int_equal(rv0, rg);
		for (int k = 1; k <= 2; k++) {
			assert_int_equal(a[k], a[0]);
			assert_int_equal(x[k], x[0]);
			assert_string_equal(s[k], s[0]);
			assert_int_equal(b[k], b[0]);
			assert_int_equal(h[k], h[0]);
		}
		int n1 = 0, n2 = 0;
		assert_int_equal(v_scan(1, in[i], "%d", &n1), sscanf(in[i], "%d", &n2));
		assert_int_equal(n1, n2);
	}
}

static void test_stream_output(void **state)
{
	(void)state;
	kl_stub_capture(1);
	assert_true(kl_puts("puts") >= 0);
	assert_true(kl_fputs("fputs,", kl_stderr) >= 0);
	assert_int_equal(kl_fputc('c', kl_stderr), 'c');
	assert_int_equal(kl_putc('p', kl_stderr), 'p');
	assert_int_equal(kl_putchar('\n'), '\n');
	assert_int_equal(kl_fwrite("abcdef", 2, 3, kl_stdout), 3);
	assert_int_equal(kl___overflow(kl_stdout, '!'), '!');
	assert_int_equal(kl___overflow(kl_stdout, EOF), 0);
	/* stdout's lines went out at each '\n'; fflush(NULL) flushes stdout, then stderr */
	kl_fflush(NULL);
	assert_string_equal(kl_stub_captured(), "puts\n\nabcdef!fputs,cp");
	kl_stub_capture(0);
	/* stdin is at EOF; nothing can be read */
	char b[8] = "keep";
	assert_int_equal(kl_fgetc(kl_stdin), EOF);
	assert_int_equal(kl_getc(kl_stdin), EOF);
	assert_int_equal(kl___uflow(kl_stdin), EOF);
	assert_null(kl_fgets(b, sizeof(b), kl_stdin));
	assert_int_equal(kl_fread(b, 1, sizeof(b), kl_stdin), 0);
	assert_true(kl_feof(kl_stdin));
	assert_false(kl_feof(kl_stdout));
	assert_int_equal(kl_fileno(kl_stdin), 0);
	assert_int_equal(kl_fileno(kl_stdout), 1);
	assert_int_equal(kl_fileno(kl_stderr), 2);
	assert_int_equal(kl_ferror(kl_stdout), 0);
	kl_clearerr(kl_stdout);
	assert_int_equal(kl_ferror(kl_stdout), 0);
	assert_int_equal(kl_setvbuf(kl_stdout, NULL, _IOLBF, 0), 0);
	/* a FILE that is not one of the three: EBADF */
	FILE *other = (FILE *)b;
	kl_errno = 0;
	assert_int_equal(kl_fileno(other), -1);
	assert_int_equal(kl_errno, EBADF);
	assert_int_equal(kl_setvbuf(other, NULL, _IOLBF, 0), EOF);
	assert_int_equal(kl_fputc('x', other), EOF);
}

static void test_file_stubs(void **state)
{
	(void)state;
	kl_errno = 0;
	assert_null(kl_fopen64("/etc/hostname", "r"));
	assert_int_equal(kl_errno, ENOENT);
	kl_errno = 0;
	assert_null(kl_fdopen(3, "r"));
	assert_int_equal(kl_errno, EBADF);
	kl_errno = 0;
	assert_int_equal(kl_fseek(kl_stdout, 0, SEEK_SET), -1);
	assert_int_not_equal(kl_errno, 0);
	kl_errno = 0;
	assert_int_equal(kl_ftell(kl_stdout), -1);
	assert_int_not_equal(kl_errno, 0);
	assert_int_not_equal(kl_fclose((FILE *)"not a stream"), 0);
	/* perror: "S: strerror(errno)\n" on stderr, as glibc prints it */
	kl_stub_capture(1);
	kl_errno = ENOENT;
	kl_perror("open x");
	kl_fflush(NULL);
	expect("open x: %s\n", strerror(ENOENT));
	assert_string_equal(kl_stub_captured(), want);
	kl_stub_capture(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_family_to_streams),
		cmocka_unit_test(test_printf_family_to_memory),
		cmocka_unit_test(test_scanf),
		cmocka_unit_test(test_stream_output),
		cmocka_unit_test(test_file_stubs),
	};
	return cmocka_run_group_tests_name("libc-stdio", tests, NULL, NULL);
}
