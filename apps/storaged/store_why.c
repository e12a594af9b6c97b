/*
 * store_why(): the last error as one line naming the block and object.
 * Never formatted from key material.
 */
#include <stdio.h>

#include "store_int.h"

int store_fail(struct store *s, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return status;
}

void store_why_clear(struct store *s)
{
	s->why[0] = '\0';
}

const char *store_why(const struct store *s)
{
	return s->why;
}
