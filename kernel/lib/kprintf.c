/* A small printf: enough for logs, register dumps and error messages. */
#include <stdint.h>

#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "platform/platform.h"

struct sink {
	char *buf; /* NULL: console */
	size_t cap, len;
};

static void put(struct sink *s, const char *p, size_t n)
{
	if (!s->buf) {
		console_write(p, n);
		return;
	}
	for (size_t i = 0; i < n && s->len + 1 < s->cap; i++)
		s->buf[s->len++] = p[i];
}

static void put_num(struct sink *s, uint64_t v, unsigned base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = pad;
	while (n)
		put(s, &tmp[--n], 1);
}

static uint64_t take_arg(va_list *ap, int lng, int is_signed, int *neg)
{
	int64_t sv;
	*neg = 0;
	if (!is_signed)
		return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
	sv = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
	if (sv < 0) {
		*neg = 1;
		return (uint64_t)0 - (uint64_t)sv;
	}
	return (uint64_t)sv;
}

static void format(struct sink *s, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, fmt, 1);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0, neg;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			put(s, str, strlen(str));
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put(s, &c, 1);
			break;
		}
		case 'd':
		case 'i': {
			uint64_t v = take_arg(&ap, lng, 1, &neg);
			put_num(s, v, 10, neg, width, pad);
			break;
		}
		case 'u':
			put_num(s, take_arg(&ap, lng, 0, &neg), 10, 0, width, pad);
			break;
		case 'x':
			put_num(s, take_arg(&ap, lng, 0, &neg), 16, 0, width, pad);
			break;
		case 'p':
			put(s, "0x", 2);
			put_num(s, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, 0, 16, '0');
			break;
		case '%':
			put(s, "%", 1);
			break;
		case 0:
			va_end(ap);
			return;
		default:
			put(s, "%?", 2);
		}
	}
	va_end(ap);
}

void kvprintf(const char *fmt, va_list ap)
{
	struct sink s = {0};
	format(&s, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

size_t ksnprintf(char *buf, size_t cap, const char *fmt, ...)
{
	struct sink s = {buf, cap, 0};
	va_list ap;
	if (!cap)
		return 0;
	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	buf[s.len] = 0;
	return s.len;
}
