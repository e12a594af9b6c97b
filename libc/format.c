/*
 * The printf engine: flags - + space # 0, field width and precision (also
 * `*`), length modifiers hh h l ll z t j L, conversions d i u o x X c s p %.
 * %n is refused (EINVAL, -1): it turns a format string into a write
 * primitive. Floating point is not supported (prints "?" and sets errno).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "format.h"

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

struct spec {
	int flags;
	int width;
	int prec; /* -1: none */
	int len;  /* 0 int, 1 hh, 2 h, 3 l, 4 ll, 5 z, 6 t, 7 j */
	char conv;
};

static void emit(struct fmt_sink *s, const char *p, size_t n)
{
	if (s->buf != NULL && s->len + 1 < s->cap) {
		size_t room = s->cap - 1 - s->len;
		memcpy(s->buf + s->len, p, n < room ? n : room);
	}
	if (s->put != NULL)
		s->put(s->ctx, p, n);
	s->len += n;
}

static void pad(struct fmt_sink *s, char c, int n)
{
	char blk[32];
	memset(blk, c, sizeof(blk));
	while (n > 0) {
		int k = n < (int)sizeof(blk) ? n : (int)sizeof(blk);
		emit(s, blk, (size_t)k);
		n -= k;
	}
}

/* Digits of `v` in `base`, written backwards ending at `end`; returns start. */
static char *utoa(char *end, uint64_t v, unsigned base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	do {
		*--end = digits[v % base];
		v /= base;
	} while (v);
	return end;
}

static void put_number(struct fmt_sink *s, const struct spec *sp, uint64_t v, int neg)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp);
	unsigned base = 10;
	if (sp->conv == 'o')
		base = 8;
	else if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	char *d = (v == 0 && sp->prec == 0) ? end : utoa(end, v, base, sp->conv == 'X');
	int nd = (int)(end - d);
	int zeros = sp->prec > nd ? sp->prec - nd : 0;
	const char *prefix = "";
	if (neg)
		prefix = "-";
	else if ((sp->conv == 'd' || sp->conv == 'i') && (sp->flags & F_PLUS))
		prefix = "+";
	else if ((sp->conv == 'd' || sp->conv == 'i') && (sp->flags & F_SPACE))
		prefix = " ";
	else if (sp->conv == 'p' || ((sp->flags & F_ALT) && v != 0 && base == 16))
		prefix = sp->conv == 'X' ? "0X" : "0x";
	else if ((sp->flags & F_ALT) && base == 8 && zeros == 0 && (nd == 0 || *d != '0'))
		zeros = 1;
	int plen = (int)strlen(prefix);
	int body = plen + zeros + nd;
	int fill = sp->width > body ? sp->width - body : 0;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!(sp->flags & F_LEFT))
		pad(s, ' ', fill);
	emit(s, prefix, (size_t)plen);
	pad(s, '0', zeros);
	emit(s, d, (size_t)nd);
	if (sp->flags & F_LEFT)
		pad(s, ' ', fill);
}

static void put_str(struct fmt_sink *s, const struct spec *sp, const char *str, size_t n)
{
	int fill = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!(sp->flags & F_LEFT))
		pad(s, ' ', fill);
	emit(s, str, n);
	if (sp->flags & F_LEFT)
		pad(s, ' ', fill);
}

/* Parses flags, width, precision and length at *pp; returns 0 or -1. */
static int parse_spec(const char **pp, struct spec *sp, va_list *ap)
{
	const char *p = *pp;
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; p++) {
		int f = *p == '-' ? F_LEFT : *p == '+' ? F_PLUS : *p == ' ' ? F_SPACE
			: *p == '#' ? F_ALT : *p == '0' ? F_ZERO : 0;
		if (f == 0)
			break;
		sp->flags |= f;
	}
	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
		}
		p++;
	} else {
		for (; *p >= '0' && *p <= '9'; p++)
			sp->width = sp->width > 100000 ? sp->width : sp->width * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		sp->prec = 0;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			p++;
		} else {
			for (; *p >= '0' && *p <= '9'; p++)
				sp->prec = sp->prec > 100000 ? sp->prec : sp->prec * 10 + (*p - '0');
		}
	}
	if (p[0] == 'h' && p[1] == 'h')
		sp->len = 1, p += 2;
	else if (p[0] == 'l' && p[1] == 'l')
		sp->len = 4, p += 2;
	else if (*p == 'h')
		sp->len = 2, p++;
	else if (*p == 'l' || *p == 'q')
		sp->len = (*p == 'q') ? 4 : 3, p++;
	else if (*p == 'z')
		sp->len = 5, p++;
	else if (*p == 't')
		sp->len = 6, p++;
	else if (*p == 'j')
		sp->len = 7, p++;
	else if (*p == 'L')
		sp->len = 4, p++;
	sp->conv = *p;
	if (*p == '\0')
		return -1;
	*pp = p + 1;
	return 0;
}

static int64_t get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 1: return (signed char)va_arg(*ap, int);
	case 2: return (short)va_arg(*ap, int);
	case 0: return va_arg(*ap, int);
	default: return va_arg(*ap, int64_t); /* l ll z t j are 64-bit on x86-64 */
	}
}

static uint64_t get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 1: return (unsigned char)va_arg(*ap, unsigned);
	case 2: return (unsigned short)va_arg(*ap, unsigned);
	case 0: return va_arg(*ap, unsigned);
	default: return va_arg(*ap, uint64_t);
	}
}

/* One conversion; returns 0, or -1 for one we refuse or do not know. */
static int convert(struct fmt_sink *s, struct spec *sp, va_list *ap)
{
	switch (sp->conv) {
	case 'd':
	case 'i': {
		int64_t v = get_signed(sp, ap);
		put_number(s, sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
		return 0;
	}
	case 'u': case 'o': case 'x': case 'X':
		put_number(s, sp, get_unsigned(sp, ap), 0);
		return 0;
	case 'p': {
		void *v = va_arg(*ap, void *);
		if (v == NULL) {
			put_str(s, sp, "(nil)", 5);
			return 0;
		}
		sp->flags &= ~(F_PLUS | F_SPACE);
		put_number(s, sp, (uintptr_t)v, 0);
		return 0;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_str(s, sp, &c, 1);
		return 0;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);
		if (str == NULL)
			str = (sp->prec < 0 || sp->prec >= 6) ? "(null)" : "";
		size_t n = sp->prec >= 0 ? strnlen(str, (size_t)sp->prec) : strlen(str);
		put_str(s, sp, str, n);
		return 0;
	}
	case '%':
		emit(s, "%", 1);
		return 0;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
		if (sp->len == 4)
			(void)va_arg(*ap, long double);
		else
			(void)va_arg(*ap, double);
		put_str(s, sp, "?", 1);
		return 0;
	default:
		return -1; /* includes %n */
	}
}

int fmt_format(struct fmt_sink *s, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int rc = 0;
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
		emit(s, fmt, lit);
		fmt += lit;
		if (*fmt == '\0')
			break;
		fmt++;
		struct spec sp;
		if (parse_spec(&fmt, &sp, &aq) != 0 || convert(s, &sp, &aq) != 0) {
			rc = -1;
			break;
		}
	}
	va_end(aq);
	if (s->buf != NULL && s->cap > 0)
		s->buf[s->len < s->cap ? s->len : s->cap - 1] = '\0';
	if (rc != 0 || s->len > INT_MAX) {
		errno = rc != 0 ? EINVAL : EOVERFLOW;
		return -1;
	}
	return (int)s->len;
}
