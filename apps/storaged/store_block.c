/*
 * Sealed blocks (docs/storage-format.md, "Pointers and block
 * authentication"): every block but the superblocks is AES-256-GCM under
 * the block key, its nonce and tag kept in the parent's pointer, its AAD
 * binding the image, the block number and the kind.
 */
#include <string.h>

#include "store_int.h"

#define BLOCK_AAD_LEN (8 + STORE_UUID_LEN + 8 + 4)

void store_ptr_encode(uint8_t *p, const struct store_ptr *ptr)
{
	st_put64(p, ptr->block);
	memcpy(p + 8, ptr->nonce, STORE_NONCE_LEN);
	memcpy(p + 8 + STORE_NONCE_LEN, ptr->tag, STORE_TAG_LEN);
}

void store_ptr_decode(const uint8_t *p, struct store_ptr *ptr)
{
	ptr->block = st_get64(p);
	memcpy(ptr->nonce, p + 8, STORE_NONCE_LEN);
	memcpy(ptr->tag, p + 8 + STORE_NONCE_LEN, STORE_TAG_LEN);
}

int store_ptr_eq(const struct store_ptr *a, const struct store_ptr *b)
{
	return a->block == b->block && memcmp(a->nonce, b->nonce, STORE_NONCE_LEN) == 0 &&
	       memcmp(a->tag, b->tag, STORE_TAG_LEN) == 0;
}

static void block_aad(const struct store *s, uint64_t block, enum store_kind kind,
                      uint8_t aad[BLOCK_AAD_LEN])
{
	memcpy(aad, "KEELBLK1", 8);
	memcpy(aad + 8, s->uuid, STORE_UUID_LEN);
	st_put64(aad + 8 + STORE_UUID_LEN, block);
	st_put32(aad + 16 + STORE_UUID_LEN, (uint32_t)kind);
}

int store_dev_read(struct store *s, uint64_t block, void *buf, const char *what)
{
	if (block >= s->dev.blocks)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): beyond the device",
		                  (unsigned long long)block, what);
	if (s->dev.read(s->dev.ctx, block, 1, buf) != 0)
		return store_fail(s, STORAGED_EIO, "block %llu (%s): read failed",
		                  (unsigned long long)block, what);
	return STORAGED_OK;
}

int store_dev_write(struct store *s, uint64_t block, const void *buf)
{
	if (s->dev.write(s->dev.ctx, block, 1, buf) != 0)
		return store_fail(s, STORAGED_EIO, "block %llu: write failed",
		                  (unsigned long long)block);
	s->stats.block_writes++;
	s->stats.bytes_written += STORE_BLOCK;
	return STORAGED_OK;
}

int store_dev_flush(struct store *s)
{
	if (s->dev.flush(s->dev.ctx) != 0)
		return store_fail(s, STORAGED_EIO, "flush failed");
	s->stats.flushes++;
	return STORAGED_OK;
}

/* Reads the block `ptr` names into out (not s->buf2); what names it in errors. */
int store_block_read(struct store *s, const struct store_ptr *ptr, enum store_kind kind,
                     uint8_t *out, const char *what)
{
	uint8_t aad[BLOCK_AAD_LEN];
	int rc;

	if (ptr->block < STORE_SLOTS || ptr->block >= s->blocks)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): out of range",
		                  (unsigned long long)ptr->block, what);
	rc = store_dev_read(s, ptr->block, s->buf2, what);
	if (rc != STORAGED_OK)
		return rc;
	block_aad(s, ptr->block, kind, aad);
	if (store_gcm_open(s->keys.block, aad, sizeof(aad), s->buf2, out, STORE_BLOCK, ptr->nonce,
	                   ptr->tag) != 0)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): authentication failed",
		                  (unsigned long long)ptr->block, what);
	return STORAGED_OK;
}

/* Seals `in` (not s->buf2) as `block` of `kind` and writes it; *ptr names it. */
int store_block_write(struct store *s, uint64_t block, enum store_kind kind, const uint8_t *in,
                      struct store_ptr *ptr)
{
	uint8_t aad[BLOCK_AAD_LEN];

	block_aad(s, block, kind, aad);
	ptr->block = block;
	if (store_gcm_seal(s->keys.block, aad, sizeof(aad), in, s->buf2, STORE_BLOCK, ptr->nonce,
	                   ptr->tag) != 0)
		return store_fail(s, STORAGED_ENOMEM, "block %llu: encryption failed",
		                  (unsigned long long)block);
	return store_dev_write(s, block, s->buf2);
}
