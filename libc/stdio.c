/*
 * stdout and stderr go to keel_log, line-buffered (a buffer is flushed at
 * '\n', when full, by fflush and at exit). stdin is always at EOF. There
 * are no files: fopen fails (stubs_file.c), so these are the only streams.
 * The FILE objects are glibc's struct _IO_FILE with empty write buffers, so
 * glibc's inline putc macros fall through to __overflow.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <keel/syscall.h>

#include "format.h"

#define LINE_MAX_BUF 512

struct stream {
	FILE file; /* first, so a FILE * is a struct stream * */
	char buf[LINE_MAX_BUF];
	size_t len;
	int err;
};

static struct stream streams[3] = {
	{ .file = { ._fileno = 0 } },
	{ .file = { ._fileno = 1 } },
	{ .file = { ._fileno = 2 } },
};

FILE *stdin = &streams[0].file;
FILE *stdout = &streams[1].file;
FILE *stderr = &streams[2].file;

/* A FILE we made, or NULL (errno = EBADF) for anything else. */
static struct stream *stream_of(FILE *f)
{
	for (int i = 0; i < 3; i++)
		if (f == &streams[i].file)
			return &streams[i];
	errno = EBADF;
	return NULL;
}

static int stream_flush(struct stream *s)
{
	if (s->len == 0)
		return 0;
	long r = keel_log(s->buf, s->len);
	s->len = 0;
	if (r < 0) {
		s->err = 1;
		errno = EIO;
		return EOF;
	}
	return 0;
}

static void stream_put(void *ctx, const char *p, size_t n)
{
	struct stream *s = ctx;
	if (s == &streams[0]) {
		s->err = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		s->buf[s->len++] = p[i];
		if (p[i] == '\n' || s->len == sizeof(s->buf))
			stream_flush(s);
	}
}

int fflush(FILE *f)
{
	if (f == NULL) {
		int r = stream_flush(&streams[1]);
		return stream_flush(&streams[2]) ? EOF : r;
	}
	struct stream *s = stream_of(f);
	return s ? stream_flush(s) : EOF;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	struct stream *s = stream_of(f);
	if (s == NULL || size == 0 || n == 0)
		return 0;
	if (n > SIZE_MAX / size) {
		errno = EOVERFLOW;
		return 0;
	}
	stream_put(s, p, size * n);
	return s->err ? 0 : n;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct stream *s = stream_of(f);
	if (s == NULL)
		return -1;
	struct fmt_sink sink = { .put = stream_put, .ctx = s };
	return fmt_format(&sink, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* dprintf: fd 1 and 2 are stdout/stderr; other descriptors do not exist. */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	return vfprintf(fd == 1 ? stdout : stderr, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

int fputs(const char *str, FILE *f)
{
	size_t n = strlen(str);
	if (n == 0)
		return stream_of(f) ? 0 : EOF;
	return fwrite(str, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *str)
{
	if (fputs(str, stdout) == EOF)
		return EOF;
	return fputs("\n", stdout);
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;
	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* glibc's inline putc/getc macros land here when the (empty) buffer is full. */
int __overflow(FILE *f, int c)
{
	return c == EOF ? fflush(f) : fputc(c, f);
}

int __uflow(FILE *f)
{
	(void)f;
	return EOF;
}

int fgetc(FILE *f)
{
	/* stdin is always at EOF; stdout/stderr cannot be read. */
	(void)stream_of(f);
	return EOF;
}

int getc(FILE *f)
{
	return fgetc(f);
}

char *fgets(char *buf, int n, FILE *f)
{
	(void)buf;
	(void)n;
	(void)fgetc(f);
	return NULL;
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	(void)p;
	(void)size;
	(void)n;
	(void)fgetc(f);
	return 0;
}

int feof(FILE *f)
{
	return f == stdin;
}

int ferror(FILE *f)
{
	struct stream *s = stream_of(f);
	return s ? s->err : 1;
}

void clearerr(FILE *f)
{
	struct stream *s = stream_of(f);
	if (s)
		s->err = 0;
}

int fileno(FILE *f)
{
	struct stream *s = stream_of(f);
	return s ? s->file._fileno : -1;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	(void)buf;
	(void)mode;
	(void)size;
	return stream_of(f) ? 0 : EOF;
}
