/*
 * An object's blocks (docs/storage-format.md, "Objects"): n data blocks
 * reached directly (n = 1), through one level-1 pointer block (n <= 113) or
 * a level-2 block of level-1 blocks (n <= 12769); the depth follows from
 * the size alone, so a crafted image cannot make a deeper or cyclic tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define PPB STORE_PTRS_PER_BLOCK

static uint64_t data_blocks(uint64_t size)
{
	return (size + STORE_BLOCK - 1) / STORE_BLOCK;
}

uint64_t store_tree_blocks(uint64_t size)
{
	uint64_t n = data_blocks(size);

	if (n <= 1)
		return n;
	if (n <= PPB)
		return n + 1;
	return n + (n + PPB - 1) / PPB + 1;
}

/* Reads pointer block `p` (kind) holding `count` pointers into out[]. */
static int ptr_block(struct store *s, const struct store_ent *e, const struct store_ptr *p,
                     enum store_kind kind, uint32_t count, struct store_ptr *out, uint8_t *map)
{
	char what[STORE_NAME_MAX + 16];
	int rc;

	snprintf(what, sizeof(what), "object %s", e->name);
	if (map) {
		rc = store_mark(s, map, p->block, what);
		if (rc != STORAGED_OK)
			return rc;
	}
	rc = store_block_read(s, p, kind, s->buf, what);
	if (rc != STORAGED_OK)
		return rc;
	if (!store_mem_is_zero(s->buf + count * STORE_PTR_LEN, STORE_BLOCK - count * STORE_PTR_LEN))
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): bad pointer block",
		                  (unsigned long long)p->block, what);
	for (uint32_t i = 0; i < count; i++)
		store_ptr_decode(s->buf + i * STORE_PTR_LEN, &out[i]);
	return STORAGED_OK;
}

/*
 * The object's data pointers into a malloc'd array (*out, n entries),
 * authenticating its pointer blocks and marking them in map (if not NULL).
 */
static int collect(struct store *s, const struct store_ent *e, uint8_t *map, struct store_ptr **out,
                   uint64_t *nout)
{
	uint64_t n = data_blocks(e->size), top = (n + PPB - 1) / PPB;
	struct store_ptr *d, mid[PPB];
	int rc = STORAGED_OK;

	*out = NULL;
	*nout = n;
	if (n == 0)
		return STORAGED_OK;
	d = calloc(n, sizeof(*d));
	if (!d)
		return store_fail(s, STORAGED_ENOMEM, "object %s: out of memory", e->name);
	if (n == 1)
		d[0] = e->ptr;
	else if (n <= PPB)
		rc = ptr_block(s, e, &e->ptr, STORE_KIND_PTR1, (uint32_t)n, d, map);
	else
		rc = ptr_block(s, e, &e->ptr, STORE_KIND_PTR2, (uint32_t)top, mid, map);
	for (uint64_t i = 0; rc == STORAGED_OK && n > PPB && i < top; i++) {
		uint64_t cnt = n - i * PPB < PPB ? n - i * PPB : PPB;

		rc = ptr_block(s, e, &mid[i], STORE_KIND_PTR1, (uint32_t)cnt, d + i * PPB, map);
	}
	if (rc != STORAGED_OK) {
		free(d);
		return rc;
	}
	*out = d;
	return STORAGED_OK;
}

/* Marks the object's blocks in map (data blocks named by parents, not read). */
int store_tree_walk(struct store *s, const struct store_ent *e, uint8_t *map)
{
	struct store_ptr *d;
	uint64_t n;
	char what[STORE_NAME_MAX + 16];
	int rc = collect(s, e, map, &d, &n);

	snprintf(what, sizeof(what), "object %s", e->name);
	for (uint64_t i = 0; rc == STORAGED_OK && i < n; i++)
		rc = store_mark(s, map, d[i].block, what);
	free(d);
	return rc;
}

/* Data blocks d[i..) that follow each other on the device: one read request. */
static uint32_t run_len(const struct store_ptr *d, uint64_t i, uint64_t n)
{
	uint32_t r = 1;

	while (i + r < n && r < STORE_RUN_MAX && d[i + r].block == d[i].block + r)
		r++;
	return r;
}

/* Opens data block i (ciphertext c) and copies its part of [from, from + len) to out. */
static int data_block(struct store *s, const struct store_ent *e, const struct store_ptr *d,
                      uint64_t i, const uint8_t *c, uint64_t from, uint64_t len, uint8_t *out,
                      const char *what)
{
	uint64_t start = i * STORE_BLOCK,
	         end = e->size - start < STORE_BLOCK ? e->size : start + STORE_BLOCK;
	uint64_t lo = from > start ? from : start, hi = from + len < end ? from + len : end;
	int rc = store_block_open(s, d, STORE_KIND_DATA, c, s->buf, what);

	if (rc == STORAGED_OK && end - start < STORE_BLOCK &&
	    !store_mem_is_zero(s->buf + (end - start), STORE_BLOCK - (end - start)))
		rc = store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): bad padding",
		                (unsigned long long)d->block, what);
	if (rc == STORAGED_OK && hi > lo)
		memcpy(out + (lo - from), s->buf + (lo - start), hi - lo);
	return rc;
}

/*
 * Reads (and authenticates) bytes [from, from + len) of the object into out;
 * only the data blocks holding them are read (the pointer blocks always).
 */
int store_tree_read(struct store *s, const struct store_ent *e, uint64_t from, uint64_t len,
                    uint8_t *out)
{
	struct store_ptr *d;
	uint64_t n, last;
	char what[STORE_NAME_MAX + 16];
	int rc;

	if (len == 0)
		return STORAGED_OK;
	rc = collect(s, e, NULL, &d, &n);
	last = (from + len - 1) / STORE_BLOCK;
	snprintf(what, sizeof(what), "object %s", e->name);
	for (uint64_t i = from / STORE_BLOCK; rc == STORAGED_OK && i <= last && i < n;) {
		uint32_t r = run_len(d, i, last + 1);

		for (uint32_t k = 0; rc == STORAGED_OK && k < r; k++)
			rc = store_block_in_range(s, d[i + k].block, what);
		if (rc == STORAGED_OK)
			rc = store_dev_read(s, d[i].block, r, s->run, what);
		for (uint32_t k = 0; rc == STORAGED_OK && k < r; k++, i++)
			rc = data_block(s, e, &d[i], i, s->run + k * STORE_BLOCK, from, len, out,
			                what);
	}
	free(d);
	return rc;
}

int store_put_block(struct store *s, uint8_t *map, enum store_kind kind, const uint8_t *in,
                    struct store_ptr *out, const char *name)
{
	uint64_t b = store_alloc(s, map);

	if (b == 0)
		return store_fail(s, STORAGED_ENOSPC, "object %s: image full", name);
	return store_block_write(s, b, kind, in, out);
}

/* Writes pointers p[0..count) as a pointer block of `kind`. */
static int put_ptrs(struct store *s, uint8_t *map, enum store_kind kind, const struct store_ptr *p,
                    uint64_t count, struct store_ptr *out, const char *name)
{
	memset(s->buf, 0, STORE_BLOCK);
	for (uint64_t i = 0; i < count; i++)
		store_ptr_encode(s->buf + i * STORE_PTR_LEN, &p[i]);
	return store_put_block(s, map, kind, s->buf, out, name);
}

int store_tree_write(struct store *s, uint8_t *map, const char *name, const uint8_t *data,
                     uint64_t size, struct store_ptr *out)
{
	uint64_t n = data_blocks(size), top = (n + PPB - 1) / PPB;
	struct store_ptr *d, mid[PPB];
	int rc = STORAGED_OK;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return STORAGED_OK;
	d = calloc(n, sizeof(*d));
	if (!d)
		return store_fail(s, STORAGED_ENOMEM, "object %s: out of memory", name);
	for (uint64_t i = 0; rc == STORAGED_OK && i < n; i++) {
		uint64_t off = i * STORE_BLOCK,
		         len = size - off < STORE_BLOCK ? size - off : STORE_BLOCK;

		memset(s->buf, 0, STORE_BLOCK);
		memcpy(s->buf, data + off, len);
		rc = store_put_block(s, map, STORE_KIND_DATA, s->buf, &d[i], name);
	}
	if (rc == STORAGED_OK && n == 1)
		*out = d[0];
	else if (rc == STORAGED_OK && n <= PPB)
		rc = put_ptrs(s, map, STORE_KIND_PTR1, d, n, out, name);
	for (uint64_t i = 0; rc == STORAGED_OK && n > PPB && i < top; i++) {
		uint64_t cnt = n - i * PPB < PPB ? n - i * PPB : PPB;

		rc = put_ptrs(s, map, STORE_KIND_PTR1, d + i * PPB, cnt, &mid[i], name);
	}
	if (rc == STORAGED_OK && n > PPB)
		rc = put_ptrs(s, map, STORE_KIND_PTR2, mid, top, out, name);
	free(d);
	return rc;
}

int store_tree_check(struct store *s, const struct store_ent *e)
{
	uint8_t *tmp = e->size ? malloc(e->size) : NULL;
	int rc;

	if (e->size && !tmp)
		return store_fail(s, STORAGED_ENOMEM, "object %s: out of memory", e->name);
	rc = store_tree_read(s, e, 0, e->size, tmp);
	free(tmp);
	return rc;
}
