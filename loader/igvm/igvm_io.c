/* Whole-file read and write for the host tools. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_io.h"

int igvm_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, char *err,
		   size_t err_len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 65536, n = 0;
	uint8_t *p = malloc(cap);
	while (p) {
		n += fread(p + n, 1, cap - n, f);
		if (n < cap || n > max)
			break;
		uint8_t *q = realloc(p, cap * 2);
		if (!q) {
			free(p);
			p = NULL;
			break;
		}
		p = q;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!p || bad || n > max) {
		snprintf(err, err_len, "%s: %s", path,
			 !p ? "out of memory" : bad ? "read error" : "file too large");
		free(p);
		return -1;
	}
	*buf = p;
	*len = n;
	return 0;
}

int igvm_write_file(const char *path, const void *buf, size_t len, char *err, size_t err_len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fwrite(buf, 1, len, f);
	if (fclose(f) != 0 || n != len) {
		snprintf(err, err_len, "%s: write failed", path);
		return -1;
	}
	return 0;
}
