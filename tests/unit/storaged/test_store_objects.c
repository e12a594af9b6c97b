/*
 * The store's objects and namespace: objects up to 4 MiB (and not one byte
 * more), many objects across directory leaves, a full image (ENOSPC with the
 * old state intact), names at the limits, bad names refused, listing by
 * prefix, generations, the cost of a small update (3 block writes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snap.h"
#include "store.h"

static uint8_t key[STORE_KEY_LEN];

static struct store *fresh(struct store_dev *dev, uint64_t blocks)
{
	struct store *s;
	char why[256];

	assert_int_equal(store_ramdev_init(dev, blocks), STORAGED_OK);
	assert_int_equal(store_format(dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	return s;
}

static struct store *reopen(struct store *s, const struct store_dev *dev)
{
	char why[256];

	store_close(s);
	assert_int_equal(store_open(dev, key, 0, &s, why, sizeof(why)), STORAGED_OK);
	return s;
}

static int put1(struct store *s, const char *name, const void *data, size_t len)
{
	struct store_txn *t;
	int rc;

	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	rc = store_txn_put(t, name, data, len);
	if (rc != STORAGED_OK) {
		store_txn_abort(t);
		return rc;
	}
	return store_txn_commit(t);
}

static void test_big_objects(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 4096); /* 16 MiB */
	size_t max = STORAGED_OBJECT_MAX;
	uint8_t *big = malloc(max + 1), *got;
	size_t len;

	(void)st;
	for (size_t i = 0; i <= max; i++)
		big[i] = (uint8_t)(i * 2654435761u >> 24);
	assert_int_equal(put1(s, "big/max", big, max), STORAGED_OK);
	assert_int_equal(put1(s, "big/over", big, max + 1), STORAGED_ETOOBIG);
	assert_int_equal(put1(s, "big/113", big, 113 * 4096), STORAGED_OK); /* level-1, full */
	assert_int_equal(put1(s, "big/114", big + 1, 113 * 4096 + 1), STORAGED_OK); /* level-2 */
	s = reopen(s, &dev);
	assert_int_equal(store_get(s, "big/max", &got, &len), STORAGED_OK);
	assert_int_equal(len, max);
	assert_memory_equal(got, big, max);
	free(got);
	assert_int_equal(store_get(s, "big/114", &got, &len), STORAGED_OK);
	assert_int_equal(len, 113 * 4096 + 1);
	assert_memory_equal(got, big + 1, len);
	free(got);
	assert_int_equal(store_get(s, "big/over", &got, &len), STORAGED_ABSENT);
	assert_int_equal(store_check(s), STORAGED_OK);
	store_close(s);
	store_ramdev_free(&dev);
	free(big);
}

/* store_read: any range of an object, as storaged's READ chunks ask for it. */
static void test_ranged_read(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 1024);
	size_t size = 130 * 4096 + 77, got; /* a level-2 object */
	uint8_t *obj = malloc(size), *buf = malloc(size + 10);
	static const size_t offs[] = {0, 1, 4095, 4096, 4097, 32768, 130 * 4096, 130 * 4096 + 76};
	static const size_t lens[] = {0, 1, 100, 4096, 32768, 200000};
	uint64_t total;

	(void)st;
	for (size_t i = 0; i < size; i++)
		obj[i] = (uint8_t)(i * 7 + (i >> 12));
	assert_int_equal(put1(s, "r/obj", obj, size), STORAGED_OK);
	for (size_t a = 0; a < sizeof(offs) / sizeof(offs[0]); a++)
		for (size_t b = 0; b < sizeof(lens) / sizeof(lens[0]); b++) {
			size_t want = size - offs[a] < lens[b] ? size - offs[a] : lens[b];

			assert_int_equal(
			    store_read(s, "r/obj", offs[a], buf, lens[b], &total, &got),
			    STORAGED_OK);
			assert_int_equal(total, size);
			assert_int_equal(got, want);
			assert_memory_equal(buf, obj + offs[a], want);
		}
	assert_int_equal(store_read(s, "r/obj", size, buf, 10, &total, &got), STORAGED_OK);
	assert_int_equal(got, 0);
	assert_int_equal(store_read(s, "r/obj", size + 1, buf, 10, &total, &got), STORAGED_EINVAL);
	assert_int_equal(store_read(s, "r/none", 0, buf, 10, &total, &got), STORAGED_ABSENT);
	assert_int_equal(store_read(s, "bad name", 0, buf, 10, &total, &got), STORAGED_EINVAL);
	store_close(s);
	store_ramdev_free(&dev);
	free(obj);
	free(buf);
}

static int count_cb(void *arg, const char *name, uint64_t size)
{
	(void)name;
	(void)size;
	(*(unsigned *)arg)++;
	return 0;
}

static int stop_cb(void *arg, const char *name, uint64_t size)
{
	(void)name;
	(void)size;
	return ++(*(unsigned *)arg) == 3;
}

static void test_many_objects(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 2048);
	struct store_txn *t;
	struct snap before, after;
	char name[STORE_NAME_MAX];
	unsigned n = 0;

	(void)st;
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	for (unsigned i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "ns%u/obj-%04u", i % 3, i);
		assert_int_equal(store_txn_put(t, name, name, strlen(name)), STORAGED_OK);
	}
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	/* delete every other one, one commit */
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	for (unsigned i = 0; i < 600; i += 2) {
		snprintf(name, sizeof(name), "ns%u/obj-%04u", i % 3, i);
		assert_int_equal(store_txn_delete(t, name), STORAGED_OK);
	}
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	assert_int_equal(snap_read(s, &before), STORAGED_OK);
	assert_int_equal(before.n, 300);
	for (size_t i = 1; i < before.n; i++)
		assert_true(strcmp(before.names[i - 1], before.names[i]) < 0);
	s = reopen(s, &dev);
	assert_int_equal(snap_read(s, &after), STORAGED_OK);
	assert_true(snap_eq(&before, &after));
	assert_int_equal(store_list(s, "ns1/", count_cb, &n), STORAGED_OK);
	assert_int_equal(n, 100);
	n = 0;
	assert_int_equal(store_list(s, "", stop_cb, &n), STORAGED_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_check(s), STORAGED_OK);
	assert_int_equal(store_generation(s), 2);
	snap_free(&before);
	snap_free(&after);
	store_close(s);
	store_ramdev_free(&dev);
}

static void test_full_image(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 64); /* 62 usable blocks */
	struct snap before, after;
	uint8_t blob[20 * 4096];
	int rc = STORAGED_OK;
	char name[32];

	(void)st;
	memset(blob, 0x5a, sizeof(blob));
	for (int i = 0; rc == STORAGED_OK; i++) {
		assert_true(i < 10);
		assert_int_equal(snap_read(s, &before), STORAGED_OK);
		snprintf(name, sizeof(name), "fill/%d", i);
		rc = put1(s, name, blob, sizeof(blob));
		if (rc == STORAGED_OK)
			snap_free(&before);
	}
	assert_int_equal(rc, STORAGED_ENOSPC);
	assert_non_null(strstr(store_why(s), "full"));
	assert_int_equal(snap_read(s, &after), STORAGED_OK);
	assert_true(snap_eq(&before, &after));
	snap_free(&after);
	s = reopen(s, &dev);
	assert_int_equal(snap_read(s, &after), STORAGED_OK);
	assert_true(snap_eq(&before, &after));
	/* replacing an object with one as big fails too (copy-on-write needs room for both) but
	 * a smaller one fits, and deleting frees room */
	assert_int_equal(put1(s, "fill/0", "x", 1), STORAGED_OK);
	assert_int_equal(put1(s, "fill/9", blob, sizeof(blob)), STORAGED_OK);
	assert_int_equal(store_check(s), STORAGED_OK);
	snap_free(&before);
	snap_free(&after);
	store_close(s);
	store_ramdev_free(&dev);
}

static void test_names(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 64);
	struct store_txn *t;
	char longest[STORE_NAME_MAX], toolong[STORE_NAME_MAX + 1];
	static const char *const bad[] = {"", "a b", "caf\xc3\xa9", "tab\t", "semi;colon", "x\n"};
	uint8_t *d;
	size_t len;

	(void)st;
	memset(longest, 'n', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(toolong, 'n', sizeof(toolong) - 1);
	toolong[sizeof(toolong) - 1] = '\0';
	assert_int_equal(put1(s, longest, "1", 1), STORAGED_OK);
	assert_int_equal(put1(s, toolong, "1", 1), STORAGED_EINVAL);
	assert_int_equal(put1(s, "a", "1", 1), STORAGED_OK);
	assert_int_equal(put1(s, "Mixed.Case_name-1/x", "1", 1), STORAGED_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(put1(s, bad[i], "1", 1), STORAGED_EINVAL);
		assert_int_equal(store_get(s, bad[i], &d, &len), STORAGED_EINVAL);
	}
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	assert_int_equal(store_txn_put(t, NULL, "1", 1), STORAGED_EINVAL);
	assert_int_equal(store_txn_delete(t, "bad name"), STORAGED_EINVAL);
	store_txn_abort(t);
	assert_int_equal(store_get(s, toolong, &d, &len), STORAGED_EINVAL);
	assert_int_equal(store_get(s, longest, &d, &len), STORAGED_OK);
	assert_int_equal(len, 1);
	free(d);
	s = reopen(s, &dev);
	assert_int_equal(store_get(s, longest, &d, &len), STORAGED_OK);
	free(d);
	store_close(s);
	store_ramdev_free(&dev);
}

static void test_txn_semantics(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 64);
	struct store_txn *t;
	struct store_stats a, b;
	uint8_t page[4096], *d;
	size_t len;

	(void)st;
	memset(page, 7, sizeof(page));
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	assert_int_equal(store_txn_put(t, "x", "first", 5), STORAGED_OK);
	assert_int_equal(store_txn_put(t, "x", "second", 6), STORAGED_OK); /* later stage wins */
	assert_int_equal(store_txn_put(t, "y", "y", 1), STORAGED_OK);
	assert_int_equal(store_txn_delete(t, "y"), STORAGED_OK);
	assert_int_equal(store_txn_delete(t, "never"), STORAGED_OK);
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	assert_int_equal(store_generation(s), 1);
	assert_int_equal(store_get(s, "x", &d, &len), STORAGED_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(d, "second", 6);
	free(d);
	assert_int_equal(store_get(s, "y", &d, &len), STORAGED_ABSENT);
	assert_null(d);
	/* an aborted transaction changes nothing */
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	assert_int_equal(store_txn_put(t, "x", "third", 5), STORAGED_OK);
	store_txn_abort(t);
	assert_int_equal(store_generation(s), 1);
	/* the cost of replacing one 4 KiB object: data, its leaf, the superblock */
	assert_int_equal(put1(s, "x", page, sizeof(page)), STORAGED_OK);
	store_stats(s, &a);
	assert_int_equal(put1(s, "x", page, sizeof(page)), STORAGED_OK);
	store_stats(s, &b);
	assert_int_equal(b.block_writes - a.block_writes, 3);
	assert_int_equal(b.flushes - a.flushes, 2);
	assert_int_equal(store_generation(s), 3);
	store_close(s);
	/* formatting at a generation; opening below the minimum */
	assert_int_equal(store_format(&dev, key, 41, &s, NULL, 0), STORAGED_OK);
	assert_int_equal(store_generation(s), 41);
	assert_int_equal(put1(s, "x", "1", 1), STORAGED_OK);
	store_close(s);
	assert_int_equal(store_open(&dev, key, 43, &s, NULL, 0), STORAGED_EROLLBACK);
	assert_int_equal(store_open(&dev, key, 42, &s, NULL, 0), STORAGED_OK);
	assert_int_equal(store_generation(s), 42);
	store_close(s);
	store_ramdev_free(&dev);
}

/* The directory's capacity: more objects than 109 leaves of 37 is ENOSPC, the state kept. */
static void test_directory_full(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 1024);
	struct store_txn *t;
	char name[32];
	unsigned made = 0, n = 0;
	int rc = STORAGED_OK;

	(void)st;
	while (rc == STORAGED_OK) {
		assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
		for (unsigned i = 0; i < 1000; i++) {
			snprintf(name, sizeof(name), "e/%05u", made + i);
			assert_int_equal(store_txn_put(t, name, NULL, 0), STORAGED_OK);
		}
		rc = store_txn_commit(t);
		if (rc == STORAGED_OK)
			made += 1000;
	}
	assert_int_equal(rc, STORAGED_ENOSPC);
	assert_non_null(strstr(store_why(s), "directory full"));
	s = reopen(s, &dev);
	assert_int_equal(store_list(s, "", count_cb, &n), STORAGED_OK);
	assert_int_equal(n, made);
	assert_true(made >= 2000);
	assert_int_equal(store_check(s), STORAGED_OK);
	store_close(s);
	store_ramdev_free(&dev);
}

static void commit_range(struct store *s, unsigned from, unsigned to, unsigned step, int del)
{
	struct store_txn *t;
	char name[32];

	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	for (unsigned i = from; i < to; i++) {
		if (step && i % step == 0)
			continue; /* the ones kept */
		snprintf(name, sizeof(name), "e/%05u", i);
		if (del)
			assert_int_equal(store_txn_delete(t, name), STORAGED_OK);
		else
			assert_int_equal(store_txn_put(t, name, NULL, 0), STORAGED_OK);
	}
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
}

/* Leaves emptied to one entry each and then split again: the directory is repacked. */
static void test_directory_repack(void **st)
{
	struct store_dev dev;
	struct store *s = fresh(&dev, 1024);
	struct store_txn *t;
	struct store_info in;
	char name[32];
	unsigned n = 0;

	(void)st;
	for (unsigned i = 0; i < 4033; i += 1000)
		commit_range(s, i, i + 1000 < 4033 ? i + 1000 : 4033, 0, 0);
	store_info(s, &in);
	assert_int_equal(in.objects, 4033);
	for (unsigned i = 0; i < 4033; i += 1000)
		commit_range(s, i, i + 1000 < 4033 ? i + 1000 : 4033, 37, 1);
	store_info(s, &in);
	assert_int_equal(in.objects, 109);
	assert_int_equal(in.blocks_used, 2 + 109); /* one entry per leaf */
	assert_int_equal(store_txn_begin(s, &t), STORAGED_OK);
	for (unsigned i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "e/00000x%02u", i);
		assert_int_equal(store_txn_put(t, name, NULL, 0), STORAGED_OK);
	}
	assert_int_equal(store_txn_commit(t), STORAGED_OK);
	store_info(s, &in);
	assert_int_equal(in.objects, 149);
	assert_int_equal(in.blocks_used, 2 + 5); /* repacked: ceil(149 / 37) leaves */
	s = reopen(s, &dev);
	assert_int_equal(store_list(s, "", count_cb, &n), STORAGED_OK);
	assert_int_equal(n, 149);
	assert_int_equal(store_check(s), STORAGED_OK);
	store_close(s);
	store_ramdev_free(&dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_big_objects),      cmocka_unit_test(test_many_objects),
	    cmocka_unit_test(test_full_image),       cmocka_unit_test(test_names),
	    cmocka_unit_test(test_txn_semantics),    cmocka_unit_test(test_directory_full),
	    cmocka_unit_test(test_directory_repack), cmocka_unit_test(test_ranged_read),
	};

	for (unsigned i = 0; i < STORE_KEY_LEN; i++)
		key[i] = (uint8_t)(0xc0 + i);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
