/*
 * The store's commits are atomic under power cuts (docs/storage-format.md,
 * "Commit"): for commits that create, replace (sizes changing across the
 * direct / level-1 / level-2 shapes), delete and mix, power is cut after
 * every single block write in turn (the cut write torn to 0, 512 or 4095
 * bytes), with and without a volatile write cache that loses or reorders
 * unflushed writes, and at each flush. Each time the reopened store is
 * exactly the old or exactly the new state, byte for byte, and checks clean.
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

#define BLOCKS 512u

static uint8_t key[STORE_KEY_LEN];

static uint8_t *pattern(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
	return p;
}

static void put(struct store_txn *t, const char *name, size_t len, unsigned seed)
{
	uint8_t *p = pattern(len, seed);

	assert_int_equal(store_txn_put(t, name, p, len), STORAGED_OK);
	free(p);
}

static void commit(struct store *s, void (*ops)(struct store_txn *t))
{
	struct store_txn *t;

	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	ops(t);
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
}

/* Scenario 1: create objects of 10 B, 3 blocks and 0 B beside two others. */
static void base_create(struct store_txn *t)
{
	put(t, "keep/a", 100, 1);
	put(t, "keep/b", 5000, 2);
}
static void ops_create(struct store_txn *t)
{
	put(t, "new/x", 10, 3);
	put(t, "new/y", 9000, 4);
	put(t, "new/z", 0, 5);
}

/* Scenario 2: replace with other sizes, crossing the tree shapes. */
static void base_replace(struct store_txn *t)
{
	put(t, "r/small", 4096, 1);
	put(t, "r/multi", 20 * 4096 - 7, 2);
	put(t, "r/deep", 120 * 4096, 3);
	put(t, "r/empty", 0, 4);
}
static void ops_replace(struct store_txn *t)
{
	put(t, "r/small", 30000, 5);
	put(t, "r/multi", 10, 6);
	put(t, "r/deep", 2 * 4096, 7);
	put(t, "r/empty", 4097, 8);
}

/* Scenario 3: delete two objects and one that is not there. */
static void base_delete(struct store_txn *t)
{
	put(t, "d/one", 300, 1);
	put(t, "d/two", 3 * 4096, 2);
	put(t, "d/three", 50, 3);
}
static void ops_delete(struct store_txn *t)
{
	assert_int_equal(store_txn_delete(t, "d/one"), STORAGED_OK);
	assert_int_equal(store_txn_delete(t, "d/two"), STORAGED_OK);
	assert_int_equal(store_txn_delete(t, "d/absent"), STORAGED_OK);
}

/* Scenario 4: mixed, with a directory leaf split (36 + 3 entries > 37). */
static void base_mixed(struct store_txn *t)
{
	char name[32];

	for (int i = 0; i < 35; i++) {
		snprintf(name, sizeof(name), "m/%02d", i);
		put(t, name, 64 + (size_t)i, (unsigned)i);
	}
	put(t, "m/big", 50 * 4096, 99);
}
static void ops_mixed(struct store_txn *t)
{
	put(t, "m/00a", 1, 1);
	put(t, "m/20a", 5000, 2);
	put(t, "m/zz", 4096, 3);
	put(t, "m/05", 8192, 4);
	assert_int_equal(store_txn_delete(t, "m/10"), STORAGED_OK);
	put(t, "m/big", 60 * 4096 + 1, 5);
}

struct outcome {
	int old, new_, runs;
};

/* One cut: restore base, commit with the fault armed, reopen and judge. */
static void one_cut(struct faultdev *f, const uint8_t *base, void (*ops)(struct store_txn *t),
                    const struct snap *old, const struct snap *new_, long cut, size_t tear,
                    int cache, int at_flush, struct outcome *o)
{
	struct store *s;
	struct store_txn *t;
	char why[256];
	int rc, which;

	fd_load(f, base);
	assert_int_equal(store_open(&f->dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	ops(t);
	if (at_flush)
		fd_arm_flush(f, cut, cache != 0, (unsigned)(cut * 31 + cache * 1009 + 7));
	else
		fd_arm(f, cut, tear, cache != 0, (unsigned)(cut * 17 + tear + cache * 1013 + 1));
	rc = store_txn_commit(t);
	assert_int_not_equal(rc, STORAGED_OK); /* the cut always hits this commit */
	store_close(s);
	f->dead = 0;
	which = snap_which(&f->dev, key, old, new_, why, sizeof(why));
	if (which != 1 && which != 2)
		fail_msg("cut %s %ld tear %zu cache %d: state %d (%s)",
		         at_flush ? "flush" : "write", cut, tear, cache, which, why);
	/* Before the superblock is durable, only the old state may come back (unless the
	 * torn superblock's missing bytes happened to equal the old ones: 1 in 256 at 4095). */
	if (!(at_flush && cut == 1) && which != 1 && !f->torn_complete)
		fail_msg("cut %s %ld tear %zu cache %d: new state before the commit point",
		         at_flush ? "flush" : "write", cut, tear, cache);
	o->old += which == 1;
	o->new_ += which == 2;
	o->runs++;
}

static void run(void (*base_ops)(struct store_txn *t), void (*ops)(struct store_txn *t),
                const char *label)
{
	static const size_t tears[] = {0, 512, 4095};
	struct faultdev f;
	struct store *s;
	struct snap old, new_;
	struct store_stats a, b;
	struct outcome o = {0};
	uint8_t *base;
	char why[256];
	long writes;

	fd_init(&f, BLOCKS);
	assert_int_equal(store_format(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	commit(s, base_ops);
	assert_int_equal(snap_read(s, &old), STORAGED_OK);
	store_close(s);
	base = malloc((size_t)BLOCKS * STORE_BLOCK);
	memcpy(base, f.disk, (size_t)BLOCKS * STORE_BLOCK);
	/* The commit once without faults: the new state and its number of writes. */
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	store_stats(s, &a);
	commit(s, ops);
	store_stats(s, &b);
	assert_int_equal(snap_read(s, &new_), STORAGED_OK);
	store_close(s);
	assert_false(snap_eq(&old, &new_));
	writes = (long)(b.block_writes - a.block_writes);
	assert_int_equal(b.flushes - a.flushes, 2);
	for (long cut = 0; cut < writes; cut++)
		for (size_t ti = 0; ti < sizeof(tears) / sizeof(tears[0]); ti++)
			for (int cache = 0; cache < 3; cache++)
				one_cut(&f, base, ops, &old, &new_, cut, tears[ti], cache != 0, 0,
				        &o);
	for (long fl = 0; fl < 2; fl++)
		for (int cache = 0; cache < 9; cache++)
			one_cut(&f, base, ops, &old, &new_, fl, 0, cache, 1, &o);
	print_message("# %s: %ld block writes per commit, %d cuts: %d old, %d new, 0 mixed\n",
	              label, writes, o.runs, o.old, o.new_);
	assert_true(o.old > 0);
	free(base);
	snap_free(&old);
	snap_free(&new_);
	fd_free(&f);
}

static void test_crash_create(void **st)
{
	(void)st;
	run(base_create, ops_create, "create");
}

static void test_crash_replace(void **st)
{
	(void)st;
	run(base_replace, ops_replace, "replace");
}

static void test_crash_delete(void **st)
{
	(void)st;
	run(base_delete, ops_delete, "delete");
}

static void test_crash_mixed(void **st)
{
	(void)st;
	run(base_mixed, ops_mixed, "mixed");
}

/* A failed commit (device error before the commit point) leaves the open store usable and old. */
static void test_failed_commit_keeps_store(void **st)
{
	struct faultdev f;
	struct store *s;
	struct snap before, after;
	struct store_txn *t;
	char why[256];

	(void)st;
	fd_init(&f, BLOCKS);
	assert_int_equal(store_format(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	commit(s, base_create);
	assert_int_equal(snap_read(s, &before), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	ops_create(t);
	fd_arm(&f, 2, 0, 0, 1);
	assert_int_equal(store_txn_commit(t), STORAGED_EIO);
	assert_int_equal(store_generation(s), 1);
	f.dead = 0;
	f.cut_after = -1;
	assert_int_equal(snap_read(s, &after), STORAGED_OK);
	assert_true(snap_eq(&before, &after));
	snap_free(&after);
	/* usable again: the same commit now succeeds */
	commit(s, ops_create);
	assert_int_equal(store_generation(s), 2);
	store_close(s);
	/* An error at the superblock write: outcome unknown, no further commit until reopened. */
	assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	put(t, "late", 10, 9);
	fd_arm(&f, 2, 0, 0, 1); /* writes: data, leaf, then the superblock */
	assert_int_equal(store_txn_commit(t), STORAGED_EIO);
	f.dead = 0;
	f.cut_after = -1;
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	put(t, "later", 10, 9);
	assert_int_equal(store_txn_commit(t), STORAGED_EIO);
	assert_non_null(strstr(store_why(s), "reopen"));
	store_close(s);
	snap_free(&before);
	fd_free(&f);
}

/* One random transaction (seeded): puts of varied sizes and deletes over 8 names. */
static void random_ops(struct store_txn *t, unsigned *seed)
{
	static const size_t sizes[] = {0, 1, 100, 4095, 4096, 4097, 20000, 130 * 4096 + 3};
	unsigned nops = 1 + (unsigned)rand_r(seed) % 4;

	for (unsigned i = 0; i < nops; i++) {
		char name[16];
		unsigned r = (unsigned)rand_r(seed);

		snprintf(name, sizeof(name), "s/%u", r % 8);
		if ((r >> 8) % 4 == 0)
			assert_int_equal(store_txn_delete(t, name), STORAGED_OK);
		else
			put(t, name, sizes[(r >> 12) % (i == 0 ? 8 : 7)], r);
	}
}

/*
 * 300 transactions in a row on one image, two in three cut at a random
 * write (torn, cached or not): after each, the reopened store is the state
 * before or after it, and the next transaction starts from there.
 */
static void test_crash_sequence(void **st)
{
	struct faultdev f;
	struct store *s;
	struct store_txn *t;
	uint8_t *base = malloc((size_t)BLOCKS * STORE_BLOCK);
	unsigned seed = 12345, olds = 0, news = 0, nospc = 0;
	struct store_stats a, b;
	char why[256];

	(void)st;
	fd_init(&f, BLOCKS);
	assert_int_equal(store_format(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	store_close(s);
	for (int iter = 0; iter < 300; iter++) {
		struct snap old, new_;
		unsigned opseed = (unsigned)rand_r(&seed), r = (unsigned)rand_r(&seed), sd;
		int rc, which;

		memcpy(base, f.disk, (size_t)BLOCKS * STORE_BLOCK);
		assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
		assert_int_equal(snap_read(s, &old), STORAGED_OK);
		assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
		sd = opseed;
		random_ops(t, &sd);
		store_stats(s, &a);
		rc = store_txn_commit(t);
		store_stats(s, &b);
		assert_true(rc == STORAGED_OK || rc == STORAGED_ENOSPC);
		nospc += rc == STORAGED_ENOSPC;
		assert_int_equal(snap_read(s, &new_), STORAGED_OK);
		store_close(s);
		/* again from the same start, with power cut at a random write */
		fd_load(&f, base);
		assert_int_equal(store_open(&f.dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
		assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
		sd = opseed;
		random_ops(t, &sd);
		if (r % 3)
			fd_arm(&f, (long)((r >> 4) % (b.block_writes - a.block_writes + 1)),
			       (r >> 10) % 3 ? 0 : 1 + (r >> 12) % 4095, (r >> 2) & 1, r);
		rc = store_txn_commit(t);
		store_close(s);
		f.dead = 0;
		f.cut_after = -1;
		which = snap_which(&f.dev, key, &old, &new_, why, sizeof(why));
		if (which != 1 && which != 2)
			fail_msg("transaction %d: state %d (%s)", iter, which, why);
		if (rc == STORAGED_OK && which != 2 && !snap_eq(&old, &new_))
			fail_msg("transaction %d: committed but the old state came back", iter);
		olds += which == 1 && !snap_eq(&old, &new_);
		news += which == 2 && !snap_eq(&old, &new_);
		snap_free(&old);
		snap_free(&new_);
	}
	print_message("# 300 transactions: %u ended old, %u new, %u ENOSPC, 0 mixed\n", olds, news,
	              nospc);
	assert_true(olds > 50 && news > 50);
	free(base);
	fd_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crash_create),
	    cmocka_unit_test(test_crash_replace),
	    cmocka_unit_test(test_crash_delete),
	    cmocka_unit_test(test_crash_mixed),
	    cmocka_unit_test(test_failed_commit_keeps_store),
	    cmocka_unit_test(test_crash_sequence),
	};

	store_dev_key(key);
	key[0] ^= 0x5a; /* not the development key */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
