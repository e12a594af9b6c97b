/*
 * _FORTIFY_SOURCE entry points and the stack protector. The __*_chk calls
 * carry the compiler's idea of the destination size; an overflow is a
 * memory-safety bug in the caller, so we log and exit (like glibc's
 * __chk_fail) instead of writing past the object.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include <keel/syscall.h>


static _Noreturn void fail(const char *what)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "*** %s ***: terminated\n", what);
	fflush(NULL);
	keel_log(msg, n > 0 ? (size_t)n : 0);
	keel_exit(134);
}

_Noreturn void __chk_fail(void)
{
	fail("buffer overflow detected");
}

_Noreturn void __stack_chk_fail(void)
{
	fail("stack smashing detected");
}

void *__memcpy_chk(void *d, const void *s, size_t n, size_t dlen)
{
	if (n > dlen)
		__chk_fail();
	return memcpy(d, s, n);
}

void *__memmove_chk(void *d, const void *s, size_t n, size_t dlen)
{
	if (n > dlen)
		__chk_fail();
	return memmove(d, s, n);
}

void *__memset_chk(void *d, int c, size_t n, size_t dlen)
{
	if (n > dlen)
		__chk_fail();
	return memset(d, c, n);
}

char *__strcpy_chk(char *d, const char *s, size_t dlen)
{
	if (strlen(s) >= dlen)
		__chk_fail();
	return strcpy(d, s);
}

char *__strcat_chk(char *d, const char *s, size_t dlen)
{
	size_t have = strnlen(d, dlen);
	if (have == dlen || strlen(s) >= dlen - have)
		__chk_fail();
	return strcat(d, s);
}

char *__strncpy_chk(char *d, const char *s, size_t n, size_t dlen)
{
	if (n > dlen)
		__chk_fail();
	return strncpy(d, s, n);
}

int __vsnprintf_chk(char *buf, size_t cap, int flag, size_t blen, const char *fmt, va_list ap)
{
	(void)flag;
	if (cap > blen)
		__chk_fail();
	return vsnprintf(buf, cap, fmt, ap);
}

int __snprintf_chk(char *buf, size_t cap, int flag, size_t blen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = __vsnprintf_chk(buf, cap, flag, blen, fmt, ap);
	va_end(ap);
	return r;
}

int __vsprintf_chk(char *buf, int flag, size_t blen, const char *fmt, va_list ap)
{
	(void)flag;
	if (blen == 0)
		__chk_fail();
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(buf, blen, fmt, aq);
	va_end(aq);
	if (n >= 0 && (size_t)n >= blen)
		__chk_fail();
	return n;
}

int __sprintf_chk(char *buf, int flag, size_t blen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = __vsprintf_chk(buf, flag, blen, fmt, ap);
	va_end(ap);
	return r;
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vfprintf(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	(void)flag;
	va_end(ap);
	return r;
}

int __printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	(void)flag;
	va_end(ap);
	return r;
}

int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vfprintf(stdout, fmt, ap);
}

int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vdprintf(fd, fmt, ap);
}

int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	(void)flag;
	va_end(ap);
	return r;
}

int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vasprintf(out, fmt, ap);
}

int __asprintf_chk(char **out, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(out, fmt, ap);
	(void)flag;
	va_end(ap);
	return r;
}

/* FD_SET and friends on a descriptor outside fd_set. */
long int __fdelt_chk(long int d)
{
	if (d < 0 || d >= FD_SETSIZE)
		__chk_fail();
	return d / __NFDBITS;
}

void __explicit_bzero_chk(void *p, size_t n, size_t dlen)
{
	if (n > dlen)
		__chk_fail();
	explicit_bzero(p, n);
}
