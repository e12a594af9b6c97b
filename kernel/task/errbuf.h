/*
 * A bounded error-message builder for the freestanding parsers (manifest,
 * bundle): no libc, no allocation, always NUL-terminated, silently
 * truncated at the buffer's end. Header-only so every build that compiles a
 * parser (kernel, host tools, unit tests, fuzzers) gets it with no extra
 * source file.
 */
#ifndef KEEL_TASK_ERRBUF_H
#define KEEL_TASK_ERRBUF_H

#include <stddef.h>
#include <stdint.h>

struct errbuf {
	char *buf; /* may be NULL: then nothing is written */
	size_t cap;
	size_t len;
};

static inline void errbuf_ch(struct errbuf *e, char c)
{
	if (e->buf && e->len + 1 < e->cap) {
		e->buf[e->len++] = c;
		e->buf[e->len] = '\0';
	}
}

static inline void errbuf_str(struct errbuf *e, const char *s)
{
	while (*s)
		errbuf_ch(e, *s++);
}

static inline void errbuf_num(struct errbuf *e, uint64_t v)
{
	char d[20];
	int i = 0;
	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		errbuf_ch(e, d[--i]);
}

#endif
