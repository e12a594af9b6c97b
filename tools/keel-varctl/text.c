/* keel-varctl's text forms: GUIDs, attributes, names, hex, files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <keel/hex.h>

#include "varctl.h"

void guid_format(const efi_guid *g, char out[37])
{
	const uint8_t *b = g->b;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

int guid_parse(const char *s, efi_guid *g)
{
	/* text order of the 16 bytes: the first three fields are little-endian on the wire */
	static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	int i = 0;
	if (strlen(s) != 36)
		return -1;
	for (const char *p = s; *p; p++) {
		int pos = (int)(p - s);
		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (*p != '-')
				return -1;
			continue;
		}
		if (keel_hexval(p[0]) < 0 || keel_hexval(p[1]) < 0)
			return -1;
		g->b[order[i++]] = (uint8_t)(keel_hexval(p[0]) << 4 | keel_hexval(p[1]));
		p++;
	}
	return i == 16 ? 0 : -1;
}

const efi_guid *guid_default(const char *name)
{
	if (!strcmp(name, "db") || !strcmp(name, "dbx") || !strcmp(name, "dbt") ||
	    !strcmp(name, "dbr"))
		return &efi_image_security_database_guid;
	return &efi_global_variable_guid;
}

static const struct {
	const char *name;
	uint32_t bit;
} attr_names[] = {
    {"NV", EFI_VARIABLE_NON_VOLATILE},
    {"BS", EFI_VARIABLE_BOOTSERVICE_ACCESS},
    {"RT", EFI_VARIABLE_RUNTIME_ACCESS},
    {"HR", EFI_VARIABLE_HARDWARE_ERROR_RECORD},
    {"AW", EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS},
    {"AT", EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS},
    {"AP", EFI_VARIABLE_APPEND_WRITE},
    {"EA", EFI_VARIABLE_ENHANCED_AUTHENTICATED_ACCESS},
};

int attrs_parse(const char *s, uint32_t *attrs)
{
	char *end;
	unsigned long v;
	const char *p = s;
	if (!*s)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 16);
	if (!*end && !errno && *s != '-' && v <= 0xffffffffu) {
		*attrs = (uint32_t)v;
		return 0;
	}
	*attrs = 0;
	while (*p) {
		size_t n = strcspn(p, ",|"), i;
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (strlen(attr_names[i].name) == n &&
			    !strncasecmp(p, attr_names[i].name, n))
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0]))
			return -1;
		*attrs |= attr_names[i].bit;
		p += n;
		if (*p && !*++p)
			return -1; /* a trailing separator */
	}
	return 0;
}

void attrs_format(uint32_t attrs, char *out, size_t len)
{
	size_t pos = 0;
	out[0] = 0;
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (attrs & attr_names[i].bit) {
			pos += (size_t)snprintf(out + pos, pos < len ? len - pos : 0, "%s%s",
			                        pos ? "," : "", attr_names[i].name);
			attrs &= ~attr_names[i].bit;
		}
	if (attrs || !pos)
		snprintf(out + pos, pos < len ? len - pos : 0, "%s0x%x", pos ? "," : "", attrs);
}

int name_from_utf8(const char *s, struct varkey *k)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = 0;
	while (*p) {
		uint32_t c;
		if (*p < 0x80)
			c = *p++;
		else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80)
			c = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f), p += 2;
		else if ((*p & 0xf0) == 0xe0 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
			c = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
			    (p[2] & 0x3f),
			p += 3;
		else
			return -1; /* not UTF-8, or outside UCS-2's plane */
		if ((c >= 0xd800 && c < 0xe000) || c < 0x20 || n + 1 >= sizeof(k->name) / 2)
			return -1;
		k->name[n++] = (uint16_t)c;
	}
	if (!n)
		return -1;
	k->name[n++] = 0;
	k->name_size = 2 * n;
	return 0;
}

char *name_to_utf8(const uint16_t *name, size_t name_size)
{
	size_t n = name_size / 2, pos = 0;
	char *out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint16_t c;
		memcpy(&c, (const uint8_t *)name + 2 * i, 2);
		if (!c)
			break;
		if (c < 0x80) {
			out[pos++] = (char)c;
		} else if (c < 0x800) {
			out[pos++] = (char)(0xc0 | c >> 6);
			out[pos++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[pos++] = (char)(0xe0 | c >> 12);
			out[pos++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[pos++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[pos] = 0;
	return out;
}

char *hex_encode(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = "0123456789abcdef"[p[i] >> 4];
		s[2 * i + 1] = "0123456789abcdef"[p[i] & 15];
	}
	s[2 * n] = 0;
	return s;
}

int hex_decode(const char *s, size_t n, uint8_t *out)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int a = keel_hexval(s[2 * i]), b = keel_hexval(s[2 * i + 1]);
		if (a < 0 || b < 0)
			return -1;
		out[i] = (uint8_t)(a << 4 | b);
	}
	return 0;
}

int file_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0;
	uint8_t *buf = NULL;
	if (!f)
		return fprintf(stderr, "keel-varctl: %s: %s\n", path, strerror(errno)), -1;
	for (;;) {
		uint8_t *nb = realloc(buf, cap);
		size_t r;
		if (!nb) {
			free(buf);
			fclose(f);
			return fprintf(stderr, "keel-varctl: %s: out of memory\n", path), -1;
		}
		buf = nb;
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (n > max) {
			free(buf);
			fclose(f);
			return fprintf(stderr, "keel-varctl: %s: larger than %zu bytes\n", path,
			               max),
			       -1;
		}
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return fprintf(stderr, "keel-varctl: %s: read error\n", path), -1;
	}
	fclose(f);
	*data = buf;
	*len = n;
	return 0;
}
