/* UCS-2 variable names: validity, comparison, copies out of unaligned buffers. */
#include <stdlib.h>
#include <string.h>

#include "uv_int.h"

bool uv_name_valid(const uint16_t *name, size_t name_size)
{
	if (name_size < 2 || name_size % 2)
		return false;
	size_t n = name_size / 2;
	/* A NUL before the end: the name would not end where its size says. */
	for (size_t i = 0; i + 1 < n; i++)
		if (name[i] == 0)
			return false;
	return name[n - 1] == 0;
}

bool uv_name_is(const uint16_t *name, size_t name_size, const char *ascii)
{
	size_t n = strlen(ascii);
	if (name_size != (n + 1) * 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] != (uint16_t)(unsigned char)ascii[i])
			return false;
	return name[n] == 0;
}

bool uv_name_eq(const uint16_t *a, size_t as, const uint16_t *b, size_t bs)
{
	return as == bs && memcmp(a, b, as) == 0;
}

uint16_t *uv_name_copy(const void *src, size_t name_size)
{
	uint16_t *n = malloc(name_size ? name_size : 2);
	if (n && name_size)
		memcpy(n, src, name_size);
	return n;
}

uint16_t *uv_name_from_ascii(const char *ascii, size_t *name_size)
{
	size_t n = strlen(ascii);
	uint16_t *u = malloc((n + 1) * 2);
	if (!u)
		return NULL;
	for (size_t i = 0; i < n; i++)
		u[i] = (uint16_t)(unsigned char)ascii[i];
	u[n] = 0;
	*name_size = (n + 1) * 2;
	return u;
}
