/*
 * libFuzzer: crafted images that authenticate. The input describes blocks
 * as plaintext (block number, kind, bytes); the harness seals them with the
 * image's key, children before parents (data, level-1, level-2, leaves),
 * patching each sealed block's nonce and tag into every pointer naming it,
 * then writes a superblock over the leaves the input names. So the fuzzer
 * reaches the checks that run after authentication (directory, trees,
 * commit), which raw images (fuzz_store_image.c) cannot.
 *
 * Input: u8 nleaves, u16 nobjects, nleaves x u8 leaf block, then records
 * {u8 block, u8 kind, u16 len, len bytes} until the end.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define BLOCKS 64u

struct rec {
	uint8_t kind, present;
	uint8_t plain[STORE_BLOCK];
	struct store_ptr ptr;
};

static int expected(int rc)
{
	return rc == STORAGED_OK || rc == STORAGED_ECORRUPT || rc == STORAGED_ENOSPC ||
	       rc == STORAGED_ABSENT;
}

/* Patches ptr into every pointer slot of the unsealed plaintexts that names its block. */
static void patch(struct rec *r, const struct store_ptr *p, int order_of_sealed)
{
	static const int order[6] = {[STORE_KIND_DATA] = 0,
	                             [STORE_KIND_PTR1] = 1,
	                             [STORE_KIND_PTR2] = 2,
	                             [STORE_KIND_LEAF] = 3};

	for (unsigned b = 0; b < BLOCKS; b++) {
		uint8_t *pl = r[b].plain;

		if (!r[b].present || order[r[b].kind] <= order_of_sealed)
			continue;
		if (r[b].kind == STORE_KIND_LEAF) {
			for (unsigned i = 0; i < STORE_LEAF_ENTS; i++) {
				uint8_t *q =
				    pl + LEAF_HDR_LEN + i * LEAF_ENT_LEN + STORE_NAME_MAX + 8;

				if (st_get64(q) == p->block)
					store_ptr_encode(q, p);
			}
		} else {
			for (unsigned i = 0; i < STORE_PTRS_PER_BLOCK; i++)
				if (st_get64(pl + i * STORE_PTR_LEN) == p->block)
					store_ptr_encode(pl + i * STORE_PTR_LEN, p);
		}
	}
}

static void exercise(const struct store_dev *dev, const uint8_t *key)
{
	struct store *s;
	struct store_txn *t;
	char why[256];
	int rc = store_open(dev, key, 0, &s, why, sizeof(why));

	if (rc != STORAGED_OK && rc != STORAGED_ECORRUPT)
		abort();
	if (rc != STORAGED_OK)
		return;
	for (uint32_t i = 0; i < s->nents; i++) {
		uint8_t *d;
		size_t len;

		rc = store_get(s, s->ents[i].name, &d, &len);
		if (!expected(rc) || (rc == STORAGED_OK && len != s->ents[i].size))
			abort();
		free(d);
		{
			static uint8_t part[5000];
			uint64_t total;
			size_t got;

			rc = store_read(s, s->ents[i].name, s->ents[i].size / 2, part, sizeof(part),
			                &total, &got);
			if (!expected(rc) || (rc == STORAGED_OK && total != s->ents[i].size))
				abort();
		}
	}
	if (!expected(store_check(s)))
		abort();
	if (store_txn_begin(s, &t) == STORAGED_OK) {
		store_txn_put(t, "fuzz/x", "abc", 3);
		if (s->nents)
			store_txn_delete(t, s->ents[0].name);
		if (!expected(store_txn_commit(t)))
			abort();
	}
	store_close(s);
	rc = store_open(dev, key, 0, &s, why, sizeof(why));
	if (rc != STORAGED_OK && rc != STORAGED_ECORRUPT)
		abort();
	if (rc == STORAGED_OK)
		store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t kinds[4] = {STORE_KIND_DATA, STORE_KIND_PTR1, STORE_KIND_PTR2,
	                                 STORE_KIND_LEAF};
	uint8_t key[STORE_KEY_LEN];
	struct store_ptr leaves[STORE_LEAVES_MAX];
	struct store_dev dev;
	struct store *s;
	struct rec *r;
	size_t pos;
	uint32_t nleaves;
	uint64_t nobjects;
	char why[256];

	if (size < 3)
		return 0;
	nleaves = data[0] % (STORE_LEAVES_MAX + 1);
	nobjects = st_get16(data + 1);
	pos = 3 + nleaves;
	if (pos > size || store_ramdev_init(&dev, BLOCKS) != STORAGED_OK)
		return 0;
	store_dev_key(key);
	r = calloc(BLOCKS, sizeof(*r));
	if (!r || store_format(&dev, key, 0, &s, why, sizeof(why)) != STORAGED_OK)
		abort();
	while (pos + 4 <= size) {
		uint8_t b = data[pos] % BLOCKS, kind = kinds[data[pos + 1] % 4];
		size_t len = st_get16(data + pos + 2);

		pos += 4;
		len = len > size - pos ? size - pos : len;
		len = len > STORE_BLOCK ? STORE_BLOCK : len;
		r[b].present = 1;
		r[b].kind = kind;
		memcpy(r[b].plain, data + pos, len);
		pos += len;
	}
	for (int o = 0; o < 4; o++)
		for (unsigned b = 2; b < BLOCKS; b++)
			if (r[b].present && r[b].kind == kinds[o] &&
			    store_block_write(s, b, kinds[o], r[b].plain, &r[b].ptr) == STORAGED_OK)
				patch(r, &r[b].ptr, o);
	for (uint32_t i = 0; i < nleaves; i++) {
		uint8_t b = data[3 + i] % BLOCKS;

		leaves[i] = r[b].ptr;
		leaves[i].block = b;
	}
	if (store_super_write(s, 1, leaves, nleaves, nobjects) != STORAGED_OK ||
	    store_dev_flush(s) != STORAGED_OK)
		abort();
	store_close(s);
	exercise(&dev, key);
	free(r);
	store_ramdev_free(&dev);
	return 0;
}
