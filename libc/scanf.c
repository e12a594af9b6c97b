/*
 * sscanf for the simple formats libraries use: whitespace, literals,
 * %d %i %u %x %X %o %s %c %n %% with optional '*', width and the length
 * modifiers hh h l ll z j. No floating point and no %[ sets (an unknown
 * conversion stops the scan, like a matching failure).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void store_int(void *p, int len, uint64_t v)
{
	switch (len) {
	case 1: *(unsigned char *)p = (unsigned char)v; break;
	case 2: *(unsigned short *)p = (unsigned short)v; break;
	case 0: *(unsigned *)p = (unsigned)v; break;
	default: *(uint64_t *)p = v; break;
	}
}

static int scan_int(const char **sp, char conv, int width, uint64_t *out)
{
	char tmp[72];
	size_t n = strlen(*sp);
	if (width > 0 && (size_t)width < n)
		n = (size_t)width;
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, *sp, n);
	tmp[n] = '\0';
	int base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : conv == 'i' ? 0 : 10;
	char *end;
	*out = (conv == 'd' || conv == 'i') ? (uint64_t)strtoll(tmp, &end, base)
					   : strtoull(tmp, &end, base);
	if (end == tmp)
		return -1;
	*sp += end - tmp;
	return 0;
}

/* Parses '*', width and length; returns the conversion character. */
static char parse_conv(const char **fp, int *skip, int *width, int *len)
{
	const char *f = *fp;
	*skip = *f == '*';
	f += *skip;
	for (*width = 0; *f >= '0' && *f <= '9'; f++)
		*width = *width * 10 + (*f - '0');
	*len = 0;
	if (f[0] == 'h' && f[1] == 'h')
		*len = 1, f += 2;
	else if (f[0] == 'l' && f[1] == 'l')
		*len = 4, f += 2;
	else if (*f == 'h')
		*len = 2, f++;
	else if (*f == 'l' || *f == 'z' || *f == 'j' || *f == 't')
		*len = 3, f++;
	*fp = *f ? f + 1 : f;
	return *f;
}

int vsscanf(const char *s, const char *f, va_list ap)
{
	const char *start = s;
	int count = 0;
	while (*f) {
		if (isspace((unsigned char)*f)) {
			while (isspace((unsigned char)*s))
				s++;
			f++;
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			f += *f == '%';
			if (*s != *f)
				break;
			s++, f++;
			continue;
		}
		f++;
		int skip, width, len;
		char c = parse_conv(&f, &skip, &width, &len);
		if (c == 'n') {
			if (!skip)
				store_int(va_arg(ap, void *), len, (uint64_t)(s - start));
			continue;
		}
		if (c != 'c')
			while (isspace((unsigned char)*s))
				s++;
		if (*s == '\0')
			return count ? count : EOF;
		if (strchr("diuxXo", c) != NULL && c != '\0') {
			uint64_t v;
			if (scan_int(&s, c, width, &v) != 0)
				break;
			if (!skip)
				store_int(va_arg(ap, void *), len, v), count++;
		} else if (c == 's' || c == 'c') {
			size_t max = width > 0 ? (size_t)width : (c == 'c' ? 1 : SIZE_MAX);
			char *out = skip ? NULL : va_arg(ap, char *);
			size_t i = 0;
			for (; i < max && s[i] && (c == 'c' || !isspace((unsigned char)s[i])); i++)
				if (out)
					out[i] = s[i];
			if (c == 'c' && i < max)
				break;
			if (out && c == 's')
				out[i] = '\0';
			s += i;
			count += out != NULL;
		} else {
			break;
		}
	}
	return count;
}

int sscanf(const char *s, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = vsscanf(s, f, ap);
	va_end(ap);
	return r;
}

/*
 * glibc's <stdio.h> renames sscanf/vsscanf to __isoc99_* (the C99 ABI), so
 * the two functions above already carry those names; the plain names are
 * added for objects built against other headers.
 */
int plain_vsscanf(const char *s, const char *f, va_list ap) __asm__("vsscanf");
int plain_vsscanf(const char *s, const char *f, va_list ap)
{
	return vsscanf(s, f, ap);
}

int plain_sscanf(const char *s, const char *f, ...) __asm__("sscanf");
int plain_sscanf(const char *s, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = vsscanf(s, f, ap);
	va_end(ap);
	return r;
}
