/*
 * store-smoke: the store format library (apps/storaged/store*.c) running as
 * a Keel task with libcrypto.a over Keel's libc: HKDF, AES-256-GCM and
 * RAND_bytes as booted storaged will use them. On an in-memory device:
 * format, commit (a small, a 200 KiB and an empty object), reopen, read
 * back, check, a replace, the wrong key. Exits 0 only if all is as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../apps/storaged/store.h"

static int fails;

static void expect(int cond, const char *what)
{
	printf("store-smoke: %s: %s\n", what, cond ? "ok" : "FAILED");
	fails += !cond;
}

static int put2(struct store *s, const uint8_t *big, size_t biglen)
{
	struct store_txn *t;
	int rc = store_txn_begin(s, &t);

	if (rc != STORAGED_OK)
		return rc;
	rc = store_txn_put(t, "vtpm/permall", "permanent", 9);
	rc = rc ? rc : store_txn_put(t, "vtpm/big", big, biglen);
	rc = rc ? rc : store_txn_put(t, "vtpm/empty", NULL, 0);
	if (rc != STORAGED_OK) {
		store_txn_abort(t);
		return rc;
	}
	return store_txn_commit(t);
}

int main(void)
{
	static uint8_t big[200 << 10];
	uint8_t key[STORE_KEY_LEN], *data = NULL;
	struct store_dev dev;
	struct store *s;
	struct store_stats st;
	char why[200];
	size_t len = 0;
	int rc;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 31 + (i >> 12));
	store_dev_key(key);
	expect(store_ramdev_init(&dev, 1024) == STORAGED_OK, "4 MiB RAM device");
	expect(store_open(&dev, key, 0, &s, why, sizeof(why)) == STORAGED_EBLANK, "blank device");
	rc = store_format(&dev, key, 0, &s, why, sizeof(why));
	expect(rc == STORAGED_OK, "format");
	if (rc != STORAGED_OK)
		return 1;
	expect(put2(s, big, sizeof(big)) == STORAGED_OK, "commit of three objects");
	store_close(s);
	rc = store_open(&dev, key, 1, &s, why, sizeof(why));
	expect(rc == STORAGED_OK && store_generation(s) == 1, "reopen at generation 1");
	if (rc != STORAGED_OK)
		return 1;
	rc = store_get(s, "vtpm/big", &data, &len);
	expect(rc == STORAGED_OK && len == sizeof(big) && memcmp(data, big, len) == 0,
	       "200 KiB object read back");
	free(data);
	expect(store_check(s) == STORAGED_OK, "check");
	store_stats(s, &st);
	expect(put2(s, big, 4096) == STORAGED_OK, "replace");
	store_close(s);
	key[0] ^= 1;
	expect(store_open(&dev, key, 0, &s, why, sizeof(why)) == STORAGED_EKEY,
	       "wrong key refused");
	store_ramdev_free(&dev);
	printf("store-smoke: %s\n", fails ? "FAILED" : "all checks passed");
	return fails ? 1 : 0;
}
