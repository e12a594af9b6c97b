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

int store_dev_read(struct store *s, uint64_t block, uint32_t count, void *buf, const char *what)
{
	if (block >= s->dev.blocks || count > s->dev.blocks - block)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): beyond the device",
		                  (unsigned long long)block, what);
	if (s->dev.read(s->dev.ctx, block, count, buf) != 0)
		return store_fail(s, STORAGED_EIO, "block %llu (%s): read failed",
		                  (unsigned long long)block, what);
	return STORAGED_OK;
}

/* Writes the pending run of sealed blocks in one request. */
int store_run_flush(struct store *s)
{
	uint32_t n = s->run_n;

	s->run_n = 0;
	if (n == 0)
		return STORAGED_OK;
	if (s->dev.write(s->dev.ctx, s->run_start, n, s->run) != 0)
		return store_fail(s, STORAGED_EIO, "blocks %llu..%llu: write failed",
		                  (unsigned long long)s->run_start,
		                  (unsigned long long)(s->run_start + n - 1));
	s->stats.block_writes += n;
	s->stats.bytes_written += (uint64_t)n * STORE_BLOCK;
	return STORAGED_OK;
}

int store_dev_write(struct store *s, uint64_t block, const void *buf)
{
	int rc = store_run_flush(s);

	if (rc != STORAGED_OK)
		return rc;
	if (s->dev.write(s->dev.ctx, block, 1, buf) != 0)
		return store_fail(s, STORAGED_EIO, "block %llu: write failed",
		                  (unsigned long long)block);
	s->stats.block_writes++;
	s->stats.bytes_written += STORE_BLOCK;
	return STORAGED_OK;
}

int store_dev_flush(struct store *s)
{
	int rc = store_run_flush(s);

	if (rc != STORAGED_OK)
		return rc;
	if (s->dev.flush(s->dev.ctx) != 0)
		return store_fail(s, STORAGED_EIO, "flush failed");
	s->stats.flushes++;
	return STORAGED_OK;
}

/* Decrypts `cipher`, read from the block `ptr` names, into out. */
int store_block_open(struct store *s, const struct store_ptr *ptr, enum store_kind kind,
                     const uint8_t *cipher, uint8_t *out, const char *what)
{
	uint8_t aad[BLOCK_AAD_LEN];

	block_aad(s, ptr->block, kind, aad);
	if (store_gcm_open(s->keys.block, aad, sizeof(aad), cipher, out, STORE_BLOCK, ptr->nonce,
	                   ptr->tag) != 0)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): authentication failed",
		                  (unsigned long long)ptr->block, what);
	return STORAGED_OK;
}

int store_block_in_range(struct store *s, uint64_t block, const char *what)
{
	if (block < STORE_SLOTS || block >= s->blocks)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): out of range",
		                  (unsigned long long)block, what);
	return STORAGED_OK;
}

/* Reads the block `ptr` names into out (not s->buf2); what names it in errors. */
int store_block_read(struct store *s, const struct store_ptr *ptr, enum store_kind kind,
                     uint8_t *out, const char *what)
{
	int rc = store_block_in_range(s, ptr->block, what);

	if (rc == STORAGED_OK)
		rc = store_dev_read(s, ptr->block, 1, s->buf2, what);
	if (rc == STORAGED_OK)
		rc = store_block_open(s, ptr, kind, s->buf2, out, what);
	return rc;
}

/*
 * Seals `in` as `block` of `kind` into the pending run (written when the
 * next block does not follow, the run is full, or before any other write
 * or flush); *ptr names it.
 */
int store_block_write(struct store *s, uint64_t block, enum store_kind kind, const uint8_t *in,
                      struct store_ptr *ptr)
{
	uint8_t aad[BLOCK_AAD_LEN];
	int rc = STORAGED_OK;

	if (s->run_n && (block != s->run_start + s->run_n || s->run_n == STORE_RUN_MAX))
		rc = store_run_flush(s);
	if (rc != STORAGED_OK)
		return rc;
	if (s->run_n == 0)
		s->run_start = block;
	block_aad(s, block, kind, aad);
	ptr->block = block;
	if (store_gcm_seal(s->keys.block, aad, sizeof(aad), in, s->run + s->run_n * STORE_BLOCK,
	                   STORE_BLOCK, ptr->nonce, ptr->tag) != 0)
		return store_fail(s, STORAGED_ENOMEM, "block %llu: encryption failed",
		                  (unsigned long long)block);
	s->run_n++;
	return STORAGED_OK;
}
