/* String-producing printf family over the engine in format.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"

int vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct fmt_sink s = { .buf = buf, .cap = cap };
	return fmt_format(&s, fmt, ap);
}

int snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX / 2, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

int vasprintf(char **out, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	*out = NULL;
	if (n < 0)
		return -1;
	char *p = malloc((size_t)n + 1);
	if (p == NULL)
		return -1;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	*out = p;
	return n;
}

int asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(out, fmt, ap);
	va_end(ap);
	return r;
}
