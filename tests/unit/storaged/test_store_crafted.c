/*
 * Images made with the right key but crafted contents (what a buggy writer
 * or a key holder could produce): every field the store reads after
 * authentication is checked before use. Each crafted image is sealed
 * properly through the library's internals (store_int.h) and must be
 * refused with STORAGED_ECORRUPT and a message naming what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_int.h"

#define BLOCKS 64u

static uint8_t key[STORE_KEY_LEN];

struct craft {
	struct store_dev dev;
	struct store *s;
	uint8_t blk[STORE_BLOCK];
};

static void begin(struct craft *c)
{
	char why[256];

	assert_int_equal(store_ramdev_init(&c->dev, BLOCKS), STORAGED_OK);
	assert_int_equal(store_format(&c->dev, key, 0, &c->s, why, sizeof(why)), STORAGED_OK);
	memset(c->blk, 0, sizeof(c->blk));
}

/* Seals c->blk as `block` of `kind`. */
static struct store_ptr seal(struct craft *c, uint64_t block, enum store_kind kind)
{
	struct store_ptr p;

	assert_int_equal(store_block_write(c->s, block, kind, c->blk, &p), STORAGED_OK);
	memset(c->blk, 0, sizeof(c->blk));
	return p;
}

static uint8_t *entry(uint8_t *leaf, unsigned i)
{
	return leaf + LEAF_HDR_LEN + i * LEAF_ENT_LEN;
}

static void set_entry(uint8_t *leaf, unsigned i, const char *name, uint64_t size,
                      const struct store_ptr *p)
{
	uint8_t *e = entry(leaf, i);

	e[0] = (uint8_t)strlen(name);
	memcpy(e + 1, name, strlen(name));
	st_put64(e + STORE_NAME_MAX, size);
	if (p)
		store_ptr_encode(e + STORE_NAME_MAX + 8, p);
}

/* Commits the crafted leaves as the next generation, reopens, expects ECORRUPT naming `want`. */
static void expect_corrupt(struct craft *c, const struct store_ptr *leaves, uint32_t n,
                           uint64_t nobjects, const char *want, int at_get)
{
	struct store *s;
	char why[256];
	uint8_t *d;
	size_t len;
	int rc;

	assert_int_equal(store_super_write(c->s, c->s->generation + 1, leaves, n, nobjects),
	                 STORAGED_OK);
	store_close(c->s);
	rc = store_open(&c->dev, key, 0, &s, why, sizeof(why));
	if (at_get) {
		assert_int_equal(rc, STORAGED_OK);
		assert_int_equal(store_get(s, "x", &d, &len), STORAGED_ECORRUPT);
		snprintf(why, sizeof(why), "%s", store_why(s));
		assert_int_equal(store_check(s), STORAGED_ECORRUPT);
		store_close(s);
	} else {
		assert_int_equal(rc, STORAGED_ECORRUPT);
	}
	if (!strstr(why, want))
		fail_msg("expected \"%s\" in \"%s\"", want, why);
	store_ramdev_free(&c->dev);
}

static void test_leaf_counts(void **st)
{
	struct craft c;
	struct store_ptr l;

	(void)st;
	begin(&c); /* count 0 */
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "bad entry count", 0);
	begin(&c); /* count 38 */
	st_put16(c.blk, STORE_LEAF_ENTS + 1);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 37, "bad entry count", 0);
	begin(&c); /* garbage after the entries */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 0, NULL);
	c.blk[STORE_BLOCK - 1] = 1;
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "bad entry count", 0);
	begin(&c); /* the superblock's object count disagrees */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 0, NULL);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 2, "the directory holds 1", 0);
}

static void test_leaf_names(void **st)
{
	static const char *const bad[] = {"", "a b", "x\xff", "semi;", "n\n"};
	struct craft c;
	struct store_ptr l[2];

	(void)st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin(&c);
		st_put16(c.blk, 1);
		set_entry(c.blk, 0, bad[i], 0, NULL);
		l[0] = seal(&c, 10, STORE_KIND_LEAF);
		expect_corrupt(&c, l, 1, 1, "bad name", 0);
	}
	begin(&c); /* name_len 200: past the field */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 0, NULL);
	entry(c.blk, 0)[0] = 200;
	l[0] = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, l, 1, 1, "bad name", 0);
	begin(&c); /* bytes after the name */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 0, NULL);
	entry(c.blk, 0)[5] = 'y';
	l[0] = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, l, 1, 1, "bad name", 0);
	begin(&c); /* out of order in a leaf */
	st_put16(c.blk, 2);
	set_entry(c.blk, 0, "b", 0, NULL);
	set_entry(c.blk, 1, "a", 0, NULL);
	l[0] = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, l, 1, 2, "out of order", 0);
	begin(&c); /* the same name in two leaves */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "a", 0, NULL);
	l[0] = seal(&c, 10, STORE_KIND_LEAF);
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "a", 0, NULL);
	l[1] = seal(&c, 11, STORE_KIND_LEAF);
	expect_corrupt(&c, l, 2, 2, "out of order", 0);
	begin(&c); /* two superblock pointers to one leaf */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "a", 0, NULL);
	l[0] = seal(&c, 10, STORE_KIND_LEAF);
	l[1] = l[0];
	expect_corrupt(&c, l, 2, 2, "referenced twice", 0);
}

static void test_object_pointers(void **st)
{
	struct craft c;
	struct store_ptr l, d, p;

	(void)st;
	begin(&c); /* too big */
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", STORAGED_OBJECT_MAX + 1ull, NULL);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "too big", 0);
	begin(&c); /* an empty object with a block */
	d = seal(&c, 20, STORE_KIND_DATA);
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 0, &d);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "empty object with a block", 0);
	for (int i = 0; i < 3; i++) { /* block 0, a superblock, past the end */
		static const uint64_t where[] = {0, 1, BLOCKS};

		begin(&c);
		d = seal(&c, 20, STORE_KIND_DATA);
		d.block = where[i];
		st_put16(c.blk, 1);
		set_entry(c.blk, 0, "x", 10, &d);
		l = seal(&c, 10, STORE_KIND_LEAF);
		expect_corrupt(&c, &l, 1, 1, "out of range", 0);
	}
	begin(&c); /* two objects sharing a data block */
	d = seal(&c, 20, STORE_KIND_DATA);
	st_put16(c.blk, 2);
	set_entry(c.blk, 0, "x", 10, &d);
	set_entry(c.blk, 1, "y", 10, &d);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 2, "referenced twice", 0);
	begin(&c); /* an object whose block is the leaf itself */
	d.block = 10;
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 10, &d);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "referenced twice", 0);
	begin(&c); /* a pointer block with more pointers than the size implies */
	d = seal(&c, 20, STORE_KIND_DATA);
	store_ptr_encode(c.blk, &d);
	d = seal(&c, 21, STORE_KIND_DATA);
	store_ptr_encode(c.blk + STORE_PTR_LEN, &d);
	store_ptr_encode(c.blk + 2 * STORE_PTR_LEN, &d);
	p = seal(&c, 22, STORE_KIND_PTR1);
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 5000, &p);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "bad pointer block", 0);
	begin(&c); /* a data block sealed as a leaf (kind is in the AAD) */
	d = seal(&c, 20, STORE_KIND_LEAF);
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 10, &d);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "block 20 (object x): authentication failed", 1);
	begin(&c); /* bytes after the object's end in its last block */
	memset(c.blk, 'a', 11);
	d = seal(&c, 20, STORE_KIND_DATA);
	st_put16(c.blk, 1);
	set_entry(c.blk, 0, "x", 10, &d);
	l = seal(&c, 10, STORE_KIND_LEAF);
	expect_corrupt(&c, &l, 1, 1, "bad padding", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leaf_counts),
	    cmocka_unit_test(test_leaf_names),
	    cmocka_unit_test(test_object_pointers),
	};

	for (unsigned i = 0; i < STORE_KEY_LEN; i++)
		key[i] = (uint8_t)(i ^ 0x33);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
