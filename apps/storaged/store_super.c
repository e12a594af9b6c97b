/*
 * Superblocks (docs/storage-format.md, "Superblock"): two slots, generation
 * g in slot g mod 2; each slot classified blank / foreign / damaged /
 * wrong key / corrupt / valid, the newest valid one wins.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

struct sb_cand {
	uint8_t uuid[STORE_UUID_LEN];
	uint64_t generation, blocks, nobjects;
	uint32_t nleaves;
	struct store_keys keys;
};

static const char *const slot_names[] = {
    [SLOT_BLANK] = "blank",
    [SLOT_FOREIGN] = "foreign",
    [SLOT_DAMAGED] = "damaged (checksum)",
    [SLOT_WRONG_KEY] = "another key",
    [SLOT_CORRUPT] = "corrupt",
    [SLOT_VALID] = "valid",
};

const char *store_slot_name(int state)
{
	return state >= SLOT_BLANK && state <= SLOT_VALID ? slot_names[state] : "?";
}

static void body_aad(const uint8_t *hdr, unsigned slot, uint8_t aad[SB_AAD_LEN + 4])
{
	memcpy(aad, hdr, SB_AAD_LEN);
	st_put32(aad + SB_AAD_LEN, slot);
}

int store_super_write(struct store *s, uint64_t generation, const struct store_ptr *leaves,
                      uint32_t nleaves, uint64_t nobjects)
{
	uint8_t *blk = s->buf2, *body = s->buf, aad[SB_AAD_LEN + 4];
	unsigned slot = (unsigned)(generation % STORE_SLOTS);

	memset(blk, 0, STORE_BLOCK);
	memcpy(blk + SB_OFF_MAGIC, STORE_MAGIC, 8);
	st_put32(blk + SB_OFF_VERSION, STORE_VERSION);
	st_put32(blk + SB_OFF_BSIZE, STORE_BLOCK);
	memcpy(blk + SB_OFF_UUID, s->uuid, STORE_UUID_LEN);
	st_put64(blk + SB_OFF_GEN, generation);
	st_put64(blk + SB_OFF_BLOCKS, s->blocks);
	memcpy(blk + SB_OFF_KCV, s->keys.kcv, STORE_KCV_LEN);
	memset(body, 0, SB_BODY_LEN);
	st_put32(body, nleaves);
	st_put64(body + 8, nobjects);
	for (uint32_t i = 0; i < nleaves; i++)
		store_ptr_encode(body + SB_BODY_PTRS + i * STORE_PTR_LEN, &leaves[i]);
	body_aad(blk, slot, aad);
	if (store_gcm_seal(s->keys.super, aad, sizeof(aad), body, blk + SB_HDR_LEN, SB_BODY_LEN,
	                   blk + SB_OFF_NONCE, blk + SB_OFF_TAG) != 0)
		return store_fail(s, STORAGED_ENOMEM, "superblock: encryption failed");
	st_put32(blk + SB_OFF_CRC, store_crc32(blk, STORE_BLOCK));
	return store_dev_write(s, slot, blk);
}

/* The plaintext header checks: blank, foreign, damaged. */
static int slot_header(uint8_t *blk)
{
	uint32_t crc = st_get32(blk + SB_OFF_CRC);

	if (store_mem_is_zero(blk, STORE_BLOCK))
		return SLOT_BLANK;
	if (memcmp(blk + SB_OFF_MAGIC, STORE_MAGIC, 8) != 0 ||
	    st_get32(blk + SB_OFF_VERSION) != STORE_VERSION ||
	    st_get32(blk + SB_OFF_BSIZE) != STORE_BLOCK)
		return SLOT_FOREIGN;
	st_put32(blk + SB_OFF_CRC, 0);
	if (store_crc32(blk, STORE_BLOCK) != crc)
		return SLOT_DAMAGED;
	return SLOT_VALID;
}

/* Body fields, decrypted into s->buf: counts in range, reserved zero. */
static int slot_body(const uint8_t *body, struct sb_cand *c, struct store_ptr *leaves)
{
	c->nleaves = st_get32(body);
	c->nobjects = st_get64(body + 8);
	if (c->nleaves > STORE_LEAVES_MAX || st_get32(body + 4) != 0 ||
	    c->nobjects > (uint64_t)c->nleaves * STORE_LEAF_ENTS ||
	    (c->nleaves > 0 && c->nobjects == 0) ||
	    !store_mem_is_zero(body + SB_BODY_PTRS + c->nleaves * STORE_PTR_LEN,
	                       SB_BODY_LEN - SB_BODY_PTRS - c->nleaves * STORE_PTR_LEN))
		return SLOT_CORRUPT;
	for (uint32_t i = 0; i < c->nleaves; i++)
		store_ptr_decode(body + SB_BODY_PTRS + i * STORE_PTR_LEN, &leaves[i]);
	return SLOT_VALID;
}

/*
 * Classifies `slot` (read into s->buf2); for a valid one fills c and
 * leaves. With key NULL, checks against the keys already in s.
 */
static int slot_parse(struct store *s, unsigned slot, const uint8_t *key, struct sb_cand *c,
                      struct store_ptr *leaves)
{
	uint8_t *blk = s->buf2, aad[SB_AAD_LEN + 4];
	int st = slot_header(blk);

	if (st != SLOT_VALID)
		return st;
	memcpy(c->uuid, blk + SB_OFF_UUID, STORE_UUID_LEN);
	c->generation = st_get64(blk + SB_OFF_GEN);
	c->blocks = st_get64(blk + SB_OFF_BLOCKS);
	if (key == NULL)
		c->keys = s->keys;
	else if (store_kdf(key, c->uuid, &c->keys) != 0)
		return SLOT_CORRUPT;
	if (memcmp(blk + SB_OFF_KCV, c->keys.kcv, STORE_KCV_LEN) != 0)
		return SLOT_WRONG_KEY;
	if (c->generation % STORE_SLOTS != slot || c->blocks < STORE_BLOCKS_MIN ||
	    c->blocks > STORE_BLOCKS_MAX || !store_mem_is_zero(blk + 92, SB_OFF_CRC - 92))
		return SLOT_CORRUPT;
	body_aad(blk, slot, aad);
	if (store_gcm_open(c->keys.super, aad, sizeof(aad), blk + SB_HDR_LEN, s->buf, SB_BODY_LEN,
	                   blk + SB_OFF_NONCE, blk + SB_OFF_TAG) != 0)
		return SLOT_CORRUPT;
	return slot_body(s->buf, c, leaves);
}

static int no_valid_slot(struct store *s)
{
	int st0 = s->slots[0].state, st1 = s->slots[1].state, rc;

	if (st0 == SLOT_WRONG_KEY || st1 == SLOT_WRONG_KEY)
		rc = STORAGED_EKEY;
	else if (st0 == SLOT_DAMAGED || st0 == SLOT_CORRUPT || st1 == SLOT_DAMAGED ||
	         st1 == SLOT_CORRUPT)
		rc = STORAGED_ECORRUPT;
	else if (st0 == SLOT_BLANK && st1 == SLOT_BLANK)
		rc = STORAGED_EBLANK;
	else
		rc = STORAGED_EFOREIGN;
	return store_fail(s, rc, "%s: superblock slot 0 (block 0) %s, slot 1 (block 1) %s",
	                  rc == STORAGED_EKEY ? "wrong key (the image was made with another key)"
	                  : rc == STORAGED_EBLANK   ? "blank device"
	                  : rc == STORAGED_EFOREIGN ? "not a Keel store"
	                                            : "no intact superblock",
	                  store_slot_name(st0), store_slot_name(st1));
}

int store_super_load(struct store *s, const uint8_t key[STORE_KEY_LEN], uint64_t min_generation,
                     struct store_ptr *leaves, uint32_t *nleaves, uint64_t *nobjects)
{
	struct sb_cand c, best = {0};
	struct store_ptr tmp[STORE_LEAVES_MAX];
	int have = 0, rc = STORAGED_OK;

	for (unsigned slot = 0; slot < STORE_SLOTS; slot++) {
		int st;

		rc = store_dev_read(s, slot, 1, s->buf2, "superblock");
		if (rc != STORAGED_OK)
			break;
		st = slot_parse(s, slot, key, &c, tmp);
		s->slots[slot].state = st;
		s->slots[slot].generation = st == SLOT_VALID ? c.generation : 0;
		if (st == SLOT_VALID && (!have || c.generation > best.generation)) {
			store_keys_wipe(&best.keys);
			best = c;
			memcpy(leaves, tmp, sizeof(tmp));
			s->slot = slot;
			have = 1;
		}
		store_keys_wipe(&c.keys);
	}
	if (rc == STORAGED_OK && !have)
		rc = no_valid_slot(s);
	if (rc == STORAGED_OK && best.generation < min_generation)
		rc =
		    store_fail(s, STORAGED_EROLLBACK,
		               "rollback: superblock slot %u (block %u) has generation %llu, below "
		               "the minimum %llu; slot %u (block %u) %s",
		               s->slot, s->slot, (unsigned long long)best.generation,
		               (unsigned long long)min_generation, 1 - s->slot, 1 - s->slot,
		               store_slot_name(s->slots[1 - s->slot].state));
	if (rc == STORAGED_OK && best.blocks > s->dev.blocks)
		rc = store_fail(
		    s, STORAGED_ECORRUPT,
		    "image truncated: the device has %llu blocks, superblock slot %u says %llu",
		    (unsigned long long)s->dev.blocks, s->slot, (unsigned long long)best.blocks);
	if (rc == STORAGED_OK) {
		memcpy(s->uuid, best.uuid, STORE_UUID_LEN);
		s->keys = best.keys;
		s->generation = best.generation;
		s->blocks = best.blocks;
		*nleaves = best.nleaves;
		*nobjects = best.nobjects;
	}
	if (have)
		store_keys_wipe(&best.keys);
	return rc;
}

/* store_check: the slot we opened still holds our generation, intact. */
int store_super_verify(struct store *s)
{
	struct sb_cand c;
	struct store_ptr tmp[STORE_LEAVES_MAX];
	int rc = store_dev_read(s, s->slot, 1, s->buf2, "superblock"), st;

	if (rc != STORAGED_OK)
		return rc;
	st = slot_parse(s, s->slot, NULL, &c, tmp);
	store_keys_wipe(&c.keys);
	if (st != SLOT_VALID)
		return store_fail(s, STORAGED_ECORRUPT, "superblock slot %u (block %u): %s",
		                  s->slot, s->slot, store_slot_name(st));
	if (c.generation != s->generation || memcmp(c.uuid, s->uuid, STORE_UUID_LEN) != 0)
		return store_fail(s, STORAGED_ECORRUPT,
		                  "superblock slot %u (block %u): generation %llu, expected %llu",
		                  s->slot, s->slot, (unsigned long long)c.generation,
		                  (unsigned long long)s->generation);
	for (uint32_t i = 0; i < s->nleaves; i++)
		if (c.nleaves != s->nleaves || !store_ptr_eq(&tmp[i], &s->leaves[i].ptr))
			return store_fail(
			    s, STORAGED_ECORRUPT,
			    "superblock slot %u (block %u): directory differs from the one opened",
			    s->slot, s->slot);
	return STORAGED_OK;
}
