/*
 * Seeds for fuzz_store_crafted.c: well-formed descriptions of small stores
 * (one leaf with direct, level-1 and empty objects; two leaves; a level-2
 * object), written as files into the directory given.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

static size_t rec(uint8_t *out, uint8_t block, uint8_t kind_index, const uint8_t *plain,
                  uint16_t len)
{
	out[0] = block;
	out[1] = kind_index; /* 0 data, 1 level-1, 2 level-2, 3 leaf */
	st_put16(out + 2, len);
	memcpy(out + 4, plain, len);
	return 4u + len;
}

static size_t leaf(uint8_t *p, const char *const *names, const uint64_t *sizes,
                   const uint8_t *blocks, unsigned n)
{
	memset(p, 0, STORE_BLOCK);
	st_put16(p, (uint16_t)n);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = p + LEAF_HDR_LEN + i * LEAF_ENT_LEN;

		e[0] = (uint8_t)strlen(names[i]);
		memcpy(e + 1, names[i], strlen(names[i]));
		st_put64(e + STORE_NAME_MAX, sizes[i]);
		st_put64(e + STORE_NAME_MAX + 8, blocks[i]);
	}
	return LEAF_HDR_LEN + n * LEAF_ENT_LEN;
}

static int save(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len)
		return 1;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16], pl[STORE_BLOCK];
	static const char *const names[] = {"vtpm/empty", "vtpm/nv", "vtpm/permall"};
	static const uint64_t sizes[] = {0, 3 * 4096, 100};
	static const uint8_t blocks[] = {0, 11, 10};
	size_t n = 0;
	int rc = 0;

	if (argc != 2)
		return 2;
	/* one leaf (block 20): an empty object, a level-1 object (11 -> 12..14), a direct one (10)
	 */
	buf[n++] = 1;
	st_put16(buf + n, 3);
	n += 2;
	buf[n++] = 20;
	memset(pl, 'p', 100);
	n += rec(buf + n, 10, 0, pl, 100);
	for (uint8_t b = 12; b < 15; b++) {
		memset(pl, b, STORE_BLOCK);
		n += rec(buf + n, b, 0, pl, 64);
	}
	memset(pl, 0, sizeof(pl));
	for (unsigned i = 0; i < 3; i++)
		st_put64(pl + i * STORE_PTR_LEN, 12 + i);
	n += rec(buf + n, 11, 1, pl, 3 * STORE_PTR_LEN);
	n += rec(buf + n, 20, 3, pl, (uint16_t)leaf(pl, names, sizes, blocks, 3));
	rc |= save(argv[1], "one-leaf", buf, n);
	/* two leaves (20, 21) of one direct object each */
	n = 0;
	buf[n++] = 2;
	st_put16(buf + n, 2);
	n += 2;
	buf[n++] = 20;
	buf[n++] = 21;
	n += rec(buf + n, 10, 0, (const uint8_t *)"abc", 3);
	n += rec(buf + n, 30, 0, (const uint8_t *)"def", 3);
	n += rec(buf + n, 20, 3, pl, (uint16_t)leaf(pl, names + 1, sizes + 2, blocks + 2, 1));
	{
		static const uint8_t b30[] = {30};
		static const uint64_t s3[] = {3};

		n += rec(buf + n, 21, 3, pl, (uint16_t)leaf(pl, names + 2, s3, b30, 1));
	}
	rc |= save(argv[1], "two-leaves", buf, n);
	return rc;
}
