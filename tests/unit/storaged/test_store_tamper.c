/*
 * The store detects tampering (docs/storage-format.md): flipped bytes
 * anywhere in the image, swapped blocks, a truncated image, an old
 * superblock replayed, a whole old image (rollback), the wrong key, a
 * blank and a foreign device. Never wrong data, never a crash; errors name
 * the block (and the object where there is one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "faultdev.h"
#include "snap.h"
#include "store.h"

#define BLOCKS 256u
#define IMG ((size_t)BLOCKS * STORE_BLOCK)

static uint8_t key[STORE_KEY_LEN];

static void put(struct store_txn *t, const char *name, size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 13);
	assert_int_equal(store_txn_put(t, name, p, len), STORAGED_OK);
	free(p);
}

/* An image at generation 2 with a direct, a level-1, a level-2 and an empty object. */
static uint8_t *make_image(struct faultdev *f, struct snap *state, uint64_t *gen)
{
	struct store *s;
	struct store_txn *t;
	char why[256];
	uint8_t *img = malloc(IMG);

	fd_init(f, BLOCKS);
	assert_int_equal(store_format(&f->dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	put(t, "vtpm/permall", 3000, 1);
	put(t, "vtpm/old", 100, 2);
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	put(t, "vtpm/nv", 9 * 4096, 3);
	put(t, "uefi/vars", 115 * 4096 + 5, 4);
	put(t, "uefi/empty", 0, 5);
	assert_int_equal(store_txn_delete(t, "vtpm/old"), STORAGED_OK);
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	*gen = store_generation(s);
	assert_int_equal(snap_read(s, state), STORAGED_OK);
	store_close(s);
	memcpy(img, f->disk, IMG);
	return img;
}

/* Blocks of the current state: the newest superblock slot and every block the tree uses. */
static void used_blocks(const uint8_t *img, uint64_t gen, uint8_t *used)
{
	const uint8_t *base = img;

	memset(used, 0, BLOCKS);
	used[gen % 2] = 1;
	/* A block is part of the tree if it changed between a freshly zeroed image and now
	 * and is not the older slot: the allocator only writes blocks the tree then uses,
	 * except blocks freed since (vtpm/old), which the caller treats as "other". */
	for (unsigned b = 2; b < BLOCKS; b++)
		for (size_t i = 0; i < STORE_BLOCK; i++)
			if (base[(size_t)b * STORE_BLOCK + i]) {
				used[b] = 2; /* written at some time */
				break;
			}
}

/*
 * Opens the image and reads everything: the state must equal `want` exactly
 * or fail with an integrity error. Returns 1 when it failed, 0 when equal.
 */
static int judge(struct faultdev *f, const struct snap *want, uint64_t min_gen, char *why,
                 size_t whylen)
{
	struct store *s;
	struct snap now;
	int rc = store_open(&f->dev, key, min_gen, &s, why, whylen), same;

	if (rc != STORAGED_OK) {
		if (rc != STORAGED_ECORRUPT && rc != STORAGED_EROLLBACK &&
		    rc != STORAGED_EFOREIGN && rc != STORAGED_EKEY)
			fail_msg("open: unexpected status %d (%s)", rc, why);
		return 1;
	}
	rc = snap_read(s, &now);
	if (rc == STORAGED_OK)
		rc = store_check(s);
	if (rc != STORAGED_OK) {
		if (rc != STORAGED_ECORRUPT)
			fail_msg("read/check: unexpected status %d (%s)", rc, store_why(s));
		snprintf(why, whylen, "%s", store_why(s));
		snap_free(&now);
		store_close(s);
		return 1;
	}
	same = snap_eq(&now, want);
	snap_free(&now);
	store_close(s);
	if (!same)
		fail_msg("tampered image gave different data without an error");
	return 0;
}

static void test_flip_every_block(void **st)
{
	struct faultdev f;
	struct snap state;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen), used[BLOCKS];
	unsigned detected = 0, harmless = 0, tried = 0;
	char why[256];

	(void)st;
	used_blocks(img, gen, used);
	for (unsigned b = 0; b < BLOCKS; b++) {
		if (!used[b] && b >= 2)
			continue; /* never written: zero, unreferenced */
		/* dense in the superblock header, then a stride through every block */
		for (size_t off = 0; off < STORE_BLOCK; off += (b < 2 && off < 160) ? 1 : 97) {
			fd_load(&f, img);
			f.disk[(size_t)b * STORE_BLOCK + off] ^= (uint8_t)(1u << (off % 8));
			tried++;
			if (judge(&f, &state, gen, why, sizeof(why))) {
				detected++;
				if (b >= 2 && !strstr(why, "block"))
					fail_msg("block %u offset %zu: message does not name a "
					         "block: %s",
					         b, off, why);
			} else {
				harmless++;
				/* only the older slot and freed blocks may be changed harmlessly */
				if (b == gen % 2)
					fail_msg("flip in the current superblock (offset %zu) went "
					         "unnoticed",
					         off);
			}
		}
	}
	print_message("# %u flips: %u detected, %u in blocks the state does not use\n", tried,
	              detected, harmless);
	assert_true(detected > tried / 2);
	free(img);
	snap_free(&state);
	fd_free(&f);
}

/* A flipped data byte of an object: get fails naming the block and the object. */
static void test_flip_names_object(void **st)
{
	struct faultdev f;
	struct snap state;
	struct store *s;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen), *data;
	size_t len;
	char why[256];
	int hit = 0;

	(void)st;
	for (unsigned b = 2; b < BLOCKS && !hit; b++) {
		fd_load(&f, img);
		f.disk[(size_t)b * STORE_BLOCK + 100] ^= 1;
		if (store_open(&f.dev, key, gen, &s, why, sizeof(why)) != STORAGED_OK)
			continue;
		if (store_get(s, "vtpm/permall", &data, &len) == STORAGED_ECORRUPT) {
			char want[64];

			snprintf(want, sizeof(want),
			         "block %u (object vtpm/permall): authentication failed", b);
			assert_string_equal(store_why(s), want);
			assert_int_equal(store_check(s), STORAGED_ECORRUPT);
			hit = 1;
		} else {
			free(data);
		}
		store_close(s);
	}
	assert_true(hit);
	free(img);
	snap_free(&state);
	fd_free(&f);
}

static void test_swap_blocks(void **st)
{
	struct faultdev f;
	struct snap state;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen), used[BLOCKS], tmp[STORE_BLOCK];
	unsigned pairs = 0, detected = 0;
	char why[256];

	(void)st;
	used_blocks(img, gen, used);
	for (unsigned a = 0; a < 40; a++)
		for (unsigned b = a + 1; b < 40; b++) {
			if (!used[a] || !used[b])
				continue;
			fd_load(&f, img);
			memcpy(tmp, f.disk + (size_t)a * STORE_BLOCK, STORE_BLOCK);
			memcpy(f.disk + (size_t)a * STORE_BLOCK, f.disk + (size_t)b * STORE_BLOCK,
			       STORE_BLOCK);
			memcpy(f.disk + (size_t)b * STORE_BLOCK, tmp, STORE_BLOCK);
			pairs++;
			detected += (unsigned)judge(&f, &state, gen, why, sizeof(why));
		}
	print_message("# %u block swaps, %u detected\n", pairs, detected);
	assert_true(pairs > 100);
	assert_true(detected >= pairs - 40); /* swaps with a freed block may be harmless */
	free(img);
	snap_free(&state);
	fd_free(&f);
}

static void test_truncated(void **st)
{
	struct faultdev f;
	struct snap state;
	struct store *s;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen);
	char why[256];

	(void)st;
	fd_load(&f, img);
	f.dev.blocks = 100;
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_ECORRUPT);
	assert_non_null(strstr(why, "truncated"));
	f.dev.blocks = 1;
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_EINVAL);
	free(img);
	snap_free(&state);
	fd_free(&f);
}

static void commit_one(struct faultdev *f, const char *name, size_t len, unsigned seed)
{
	struct store *s;
	struct store_txn *t;
	char why[256];

	assert_int_equal(store_open(&f->dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	put(t, name, len, seed);
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	store_close(s);
}

/* An old superblock put back into its slot, and a whole old image: rollback. */
static void test_replay_and_rollback(void **st)
{
	struct faultdev f;
	struct snap state, mid;
	struct store *s;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen), oldsb[STORE_BLOCK];
	char why[256];

	(void)st;
	fd_load(&f, img);
	memcpy(oldsb, f.disk + (gen % 2) * STORE_BLOCK, STORE_BLOCK);
	commit_one(&f, "vtpm/permall", 5000, 7); /* gen + 1 */
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	assert_int_equal(snap_read(s, &mid), STORAGED_OK);
	store_close(s);
	commit_one(&f, "vtpm/permall", 6000, 8); /* gen + 2, in the slot of gen */
	/* Replay generation gen's superblock into its slot: gen + 1 is the newest left. */
	memcpy(f.disk + (gen % 2) * STORE_BLOCK, oldsb, STORE_BLOCK);
	assert_int_equal(store_open(&f.dev, key, gen + 2, &s, why, sizeof(why)),
	                 STORAGED_EROLLBACK);
	assert_non_null(strstr(why, "rollback"));
	assert_int_equal(judge(&f, &mid, 0, why, sizeof(why)), 0);
	/* The whole old image: authentic, so only the minimum generation tells. */
	fd_load(&f, img);
	assert_int_equal(store_open(&f.dev, key, gen + 2, &s, why, sizeof(why)),
	                 STORAGED_EROLLBACK);
	assert_int_equal(judge(&f, &state, gen, why, sizeof(why)), 0);
	/* The old superblock in the other slot is refused (generation parity / slot in the AAD). */
	fd_load(&f, img);
	memcpy(f.disk + ((gen + 1) % 2) * STORE_BLOCK, f.disk + (gen % 2) * STORE_BLOCK,
	       STORE_BLOCK);
	memset(f.disk + (gen % 2) * STORE_BLOCK, 0, STORE_BLOCK);
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_ECORRUPT);
	free(img);
	snap_free(&state);
	snap_free(&mid);
	fd_free(&f);
}

static void test_wrong_key_blank_foreign(void **st)
{
	struct faultdev f;
	struct snap state;
	struct store *s;
	uint64_t gen;
	uint8_t *img = make_image(&f, &state, &gen), other[STORE_KEY_LEN];
	char why[256];

	(void)st;
	memcpy(other, key, sizeof(other));
	other[31] ^= 0x80;
	fd_load(&f, img);
	assert_int_equal(store_open(&f.dev, other, 0, &s, why, sizeof(why)), STORAGED_EKEY);
	assert_non_null(strstr(why, "another key"));
	/* one slot damaged, the other made with another key: still "wrong key" */
	f.disk[40] ^= 1;
	assert_int_equal(store_open(&f.dev, other, 0, &s, why, sizeof(why)), STORAGED_EKEY);
	/* both slots damaged with the right key: corrupt */
	fd_load(&f, img);
	f.disk[STORE_BLOCK + 20] ^= 1;
	f.disk[20] ^= 1;
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_ECORRUPT);
	/* blank */
	memset(f.disk, 0, IMG);
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_EBLANK);
	/* random bytes */
	for (size_t i = 0; i < 2 * STORE_BLOCK; i++)
		f.disk[i] = (uint8_t)(i * 2654435761u >> 13);
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_EFOREIGN);
	/* an ext4-like header: superblock magic 0xEF53 at byte 1024 + 0x38 */
	memset(f.disk, 0, IMG);
	f.disk[1024 + 0x38] = 0x53;
	f.disk[1024 + 0x39] = 0xef;
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_EFOREIGN);
	assert_non_null(strstr(why, "not a Keel store"));
	/* a store in slot 1 survives a foreign slot 0 */
	fd_load(&f, img);
	memset(f.disk + ((gen + 1) % 2) * STORE_BLOCK, 0xab, STORE_BLOCK);
	assert_int_equal(judge(&f, &state, gen, why, sizeof(why)), 0);
	free(img);
	snap_free(&state);
	fd_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flip_every_block),
	    cmocka_unit_test(test_flip_names_object),
	    cmocka_unit_test(test_swap_blocks),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_replay_and_rollback),
	    cmocka_unit_test(test_wrong_key_blank_foreign),
	};

	for (unsigned i = 0; i < STORE_KEY_LEN; i++)
		key[i] = (uint8_t)(i * 37 + 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
