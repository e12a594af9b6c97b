/*
 * The directory (docs/storage-format.md, "Directory"): leaves of up to 37
 * entries, sorted by name across leaves, all held in memory once opened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static uint8_t *ent_at(uint8_t *blk, uint32_t i)
{
	return blk + LEAF_HDR_LEN + i * LEAF_ENT_LEN;
}

void store_leaf_encode(const struct store_ent *ents, uint32_t count, uint8_t *out)
{
	memset(out, 0, STORE_BLOCK);
	st_put16(out, (uint16_t)count);
	for (uint32_t i = 0; i < count; i++) {
		const struct store_ent *e = &ents[i];
		uint8_t *p = ent_at(out, i);
		size_t len = strlen(e->name);

		p[0] = (uint8_t)len;
		memcpy(p + 1, e->name, len);
		st_put64(p + STORE_NAME_MAX, e->size);
		store_ptr_encode(p + STORE_NAME_MAX + 8, &e->ptr);
	}
}

/* One entry of leaf `li` at block `blk`: well-formed, after the previous name. */
static int leaf_entry(struct store *s, const uint8_t *p, uint32_t li, uint64_t blk,
                      struct store_ent *e)
{
	uint8_t len = p[0];
	static const uint8_t zero_ptr[STORE_PTR_LEN];

	if (!store_name_valid((const char *)p + 1, len) ||
	    !store_mem_is_zero(p + 1 + len, STORE_NAME_MAX - 1 - len))
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (directory leaf %u): bad name",
		                  (unsigned long long)blk, li);
	memcpy(e->name, p + 1, len);
	e->name[len] = '\0';
	e->size = st_get64(p + STORE_NAME_MAX);
	store_ptr_decode(p + STORE_NAME_MAX + 8, &e->ptr);
	e->leaf = li;
	if (s->nents > 0 && strcmp(s->ents[s->nents - 1].name, e->name) >= 0)
		return store_fail(s, STORAGED_ECORRUPT,
		                  "block %llu (object %s): directory out of order",
		                  (unsigned long long)blk, e->name);
	if (e->size > STORE_OBJECT_MAX)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (object %s): size %llu too big",
		                  (unsigned long long)blk, e->name, (unsigned long long)e->size);
	if (e->size == 0 && memcmp(p + STORE_NAME_MAX + 8, zero_ptr, STORE_PTR_LEN) != 0)
		return store_fail(s, STORAGED_ECORRUPT,
		                  "block %llu (object %s): empty object with a block",
		                  (unsigned long long)blk, e->name);
	return STORAGED_OK;
}

static int leaf_load(struct store *s, uint32_t li)
{
	struct store_leaf *l = &s->leaves[li];
	uint8_t *blk = s->buf;
	char what[32];
	uint32_t count;
	int rc;

	snprintf(what, sizeof(what), "directory leaf %u", li);
	rc = store_mark(s, s->used, l->ptr.block, what);
	if (rc == STORAGED_OK)
		rc = store_block_read(s, &l->ptr, STORE_KIND_LEAF, blk, what);
	if (rc != STORAGED_OK)
		return rc;
	count = st_get16(blk);
	if (count == 0 || count > STORE_LEAF_ENTS || st_get16(blk + 2) != 0 ||
	    st_get32(blk + 4) != 0 ||
	    !store_mem_is_zero(ent_at(blk, count),
	                       STORE_BLOCK - LEAF_HDR_LEN - count * LEAF_ENT_LEN) ||
	    s->nents + count > s->ents_cap)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): bad entry count",
		                  (unsigned long long)l->ptr.block, what);
	l->first = s->nents;
	l->count = count;
	for (uint32_t i = 0; i < count; i++) {
		rc = leaf_entry(s, ent_at(blk, i), li, l->ptr.block, &s->ents[s->nents]);
		if (rc != STORAGED_OK)
			return rc;
		s->nents++;
	}
	return STORAGED_OK;
}

/* Reads every leaf (marking them used); nobjects (authenticated) sizes the array. */
int store_dir_load(struct store *s, const struct store_ptr *leaves, uint32_t nleaves,
                   uint64_t nobjects)
{
	s->ents_cap = (uint32_t)nobjects;
	s->ents = nobjects ? calloc(nobjects, sizeof(*s->ents)) : NULL;
	if (nobjects && !s->ents)
		return store_fail(s, STORAGED_ENOMEM, "directory: out of memory");
	s->nleaves = nleaves;
	for (uint32_t i = 0; i < nleaves; i++) {
		int rc;

		s->leaves[i].ptr = leaves[i];
		rc = leaf_load(s, i);
		if (rc != STORAGED_OK)
			return rc;
	}
	if (s->nents != nobjects)
		return store_fail(s, STORAGED_ECORRUPT,
		                  "superblock slot %u: %llu objects, the directory holds %u",
		                  s->slot, (unsigned long long)nobjects, s->nents);
	return STORAGED_OK;
}

long store_dir_find(const struct store *s, const char *name, uint32_t *pos)
{
	uint32_t lo = 0, hi = s->nents;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->ents[mid].name, name);

		if (c == 0) {
			if (pos)
				*pos = mid;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos)
		*pos = lo;
	return -1;
}
