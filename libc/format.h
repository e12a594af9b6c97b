/* libc-internal: the printf engine shared by printf.c and stdio.c. */
#ifndef KEEL_LIBC_FORMAT_H
#define KEEL_LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted bytes go. `put` may be NULL (buffer only). */
struct fmt_sink {
	char *buf;     /* buffer sink: written up to cap - 1 bytes */
	size_t cap;
	size_t len;    /* bytes produced so far (even past cap) */
	void (*put)(void *ctx, const char *s, size_t n);
	void *ctx;
};

/* Formats into `sink`; returns bytes produced or -1 (errno set) on a bad format. */
int fmt_format(struct fmt_sink *sink, const char *fmt, va_list ap);

#endif
