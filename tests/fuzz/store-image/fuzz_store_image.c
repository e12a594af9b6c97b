/*
 * libFuzzer: the store (apps/storaged/store*.c) opening a fuzzed image with
 * the development key, and on whatever opens: list, get every object,
 * check, and a commit (put + delete), then a reopen. Any crash, leak,
 * sanitizer report or unexpected status is a finding. Seeds: images made
 * by keel-state (tests/hosted/fuzz-store-image.sh).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

struct img {
	uint8_t *mem;
	uint64_t blocks;
};

static int img_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct img *m = ctx;

	if (block > m->blocks || count > m->blocks - block)
		return STORAGED_EIO;
	memcpy(buf, m->mem + block * STORE_BLOCK, (size_t)count * STORE_BLOCK);
	return 0;
}

static int img_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct img *m = ctx;

	if (block > m->blocks || count > m->blocks - block)
		return STORAGED_EIO;
	memcpy(m->mem + block * STORE_BLOCK, buf, (size_t)count * STORE_BLOCK);
	return 0;
}

static int img_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static int visit(void *arg, const char *name, uint64_t size)
{
	struct store *s = arg;
	uint8_t *data;
	size_t len;
	int rc = store_get(s, name, &data, &len);

	if (rc == STORAGED_OK && len != size)
		abort();
	if (rc != STORAGED_OK && rc != STORAGED_ECORRUPT)
		abort();
	free(data);
	return 0;
}

static int expected_open(int rc)
{
	return rc == STORAGED_OK || rc == STORAGED_ECORRUPT || rc == STORAGED_EKEY ||
	       rc == STORAGED_EFOREIGN || rc == STORAGED_EBLANK || rc == STORAGED_EROLLBACK ||
	       rc == STORAGED_EINVAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t key[STORE_KEY_LEN];
	struct img m;
	struct store_dev dev = {&m, 0, img_read, img_write, img_flush};
	struct store *s;
	struct store_txn *t;
	char why[256];
	int rc;

	m.blocks = (size + STORE_BLOCK - 1) / STORE_BLOCK;
	if (m.blocks < 2)
		m.blocks = 2;
	m.mem = calloc(m.blocks, STORE_BLOCK);
	if (!m.mem)
		return 0;
	memcpy(m.mem, data, size);
	dev.blocks = m.blocks;
	store_dev_key(key);
	rc = store_open(&dev, key, 0, &s, why, sizeof(why));
	if (!expected_open(rc))
		abort();
	if (rc == STORAGED_OK) {
		store_list(s, "", visit, s);
		rc = store_check(s);
		if (rc != STORAGED_OK && rc != STORAGED_ECORRUPT)
			abort();
		if (store_txn_begin(s, &t) == STORAGED_OK) {
			store_txn_put(t, "fuzz/new", data, size > 5000 ? 5000 : size);
			store_txn_delete(t, "vtpm/permall");
			rc = store_txn_commit(t);
			if (rc != STORAGED_OK && rc != STORAGED_ECORRUPT && rc != STORAGED_ENOSPC)
				abort();
		}
		store_close(s);
		rc = store_open(&dev, key, 0, &s, why, sizeof(why));
		if (!expected_open(rc))
			abort();
		if (rc == STORAGED_OK)
			store_close(s);
	}
	free(m.mem);
	return 0;
}
