/*
 * A small vsnprintf for the shim's messages and for the shared parser's
 * error strings: %s %c %d %i %u %x %X %p %% with the l, ll, z and h
 * length modifiers, a field width and the 0 flag. Always NUL-terminates.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced, even past size */
};

static void put(struct out *o, char c)
{
	if (o->size && o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, int upper, int neg, int width,
                    char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		put(o, '-');
	for (int i = n; i < width; i++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

/* Reads the next integer argument according to the length modifier. */
static uint64_t next_arg(va_list *ap, int lng, int is_signed, int *neg)
{
	int64_t s;

	*neg = 0;
	if (!is_signed) {
		if (lng >= 2)
			return va_arg(*ap, unsigned long long);
		if (lng == 1)
			return va_arg(*ap, unsigned long);
		return va_arg(*ap, unsigned int);
	}
	if (lng >= 2)
		s = va_arg(*ap, long long);
	else if (lng == 1)
		s = va_arg(*ap, long);
	else
		s = va_arg(*ap, int);
	if (s < 0) {
		*neg = 1;
		return -(uint64_t)s;
	}
	return (uint64_t)s;
}

static const char *conversion(struct out *o, const char *f, va_list *ap)
{
	char pad = ' ';
	int width = 0, lng = 0, neg;
	uint64_t v;

	if (*f == '0') {
		pad = '0';
		f++;
	}
	while (*f >= '0' && *f <= '9')
		width = width * 10 + (*f++ - '0');
	for (;; f++) {
		if (*f == 'l')
			lng++;
		else if (*f == 'z')
			lng = sizeof(size_t) == 8 ? 2 : 1;
		else if (*f != 'h')
			break;
	}
	switch (*f) {
	case 's': {
		const char *s = va_arg(*ap, const char *);
		int n = 0;

		if (!s)
			s = "(null)";
		while (s[n])
			n++;
		for (; n < width; n++)
			put(o, ' ');
		while (*s)
			put(o, *s++);
		break;
	}
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 'd':
	case 'i':
		v = next_arg(ap, lng, 1, &neg);
		put_num(o, v, 10, 0, neg, width, pad);
		break;
	case 'u':
	case 'x':
	case 'X':
		v = next_arg(ap, lng, 0, &neg);
		put_num(o, v, *f == 'u' ? 10 : 16, *f == 'X', 0, width, pad);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uintptr_t)va_arg(*ap, void *), 16, 0, 0, width, pad);
		break;
	case '\0':
		return f;
	default:
		put(o, '%');
		put(o, *f);
		break;
	}
	return f + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list cp;

	va_copy(cp, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = conversion(&o, fmt, &cp);
	}
	va_end(cp);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
