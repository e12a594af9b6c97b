/*
 * fdstore_parse (apps/uefivars/fdstore.c) against Debian's OVMF varstores
 * (/usr/share/OVMF, package ovmf; skipped when absent) and against stores
 * built here: the deleted-transition rules, certdb digests, the plain
 * (non-authenticated) format, and corruptions (every truncation, bit
 * flips, each header field) that must end in -1 with a message, never a
 * crash or a read past the image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fdstore.h"

#define OVMF "/usr/share/OVMF/"

/* ---- building stores ---- */

static const uint8_t fv_guid[16] = {0x8d, 0x2b, 0xf1, 0xff, 0x96, 0x76, 0x8b, 0x4c,
                                    0xa9, 0x85, 0x27, 0x47, 0x07, 0x5b, 0x4f, 0x50};
static const uint8_t auth_guid[16] = {0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
                                      0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92};
static const uint8_t plain_guid[16] = {0x16, 0x36, 0xcf, 0xdd, 0x75, 0x32, 0x64, 0x41,
                                       0x98, 0xb6, 0xfe, 0x85, 0x70, 0x7f, 0xfe, 0x7d};
static const uint8_t certdb_guid[16] = {0x6e, 0xe5, 0xbe, 0xd9, 0xdc, 0x75, 0xd9, 0x49,
                                        0xb4, 0xd7, 0xb5, 0x34, 0x21, 0x0f, 0x63, 0x7a};
static const uint8_t vendor[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

#define IMG_SIZE 8192u
#define FV_HDR 72u
#define STORE_SIZE (IMG_SIZE - FV_HDR)

struct img {
	uint8_t b[IMG_SIZE];
	size_t pos; /* next variable header */
	int auth;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void fv_checksum(uint8_t *b)
{
	uint16_t sum = 0, v;
	b[50] = b[51] = 0;
	for (size_t i = 0; i < FV_HDR; i += 2) {
		memcpy(&v, b + i, 2);
		sum = (uint16_t)(sum + v);
	}
	sum = (uint16_t)-sum;
	memcpy(b + 50, &sum, 2);
}

static void img_init(struct img *m, int auth)
{
	uint64_t fvlen = IMG_SIZE;
	uint16_t hl = FV_HDR;
	memset(m->b, 0xff, sizeof(m->b));
	memset(m->b, 0, FV_HDR);
	memcpy(m->b + 16, fv_guid, 16);
	memcpy(m->b + 32, &fvlen, 8);
	memcpy(m->b + 40, "_FVH", 4);
	memcpy(m->b + 48, &hl, 2);
	m->b[55] = 2;
	put32(m->b + 56, 2);
	put32(m->b + 60, IMG_SIZE / 2);
	fv_checksum(m->b);
	memcpy(m->b + FV_HDR, auth ? auth_guid : plain_guid, 16);
	put32(m->b + FV_HDR + 16, STORE_SIZE);
	m->b[FV_HDR + 20] = 0x5a;
	m->b[FV_HDR + 21] = 0xfe;
	memset(m->b + FV_HDR + 22, 0, 6);
	m->pos = FV_HDR + 28;
	m->auth = auth;
}

/* Appends a variable; returns its header's offset in the image. */
static size_t img_add(struct img *m, const uint8_t *guid, const char *name, uint8_t state,
                      uint32_t attrs, const void *data, size_t size)
{
	size_t h = m->pos, hs = m->auth ? 60 : 32, ns = 2 * (strlen(name) + 1);
	uint8_t *p = m->b + h;
	memset(p, 0, hs);
	p[0] = 0xaa;
	p[1] = 0x55;
	p[2] = state;
	put32(p + 4, attrs);
	if (m->auth) {
		p[16] = 0xe9; /* TimeStamp.Year 2025 */
		p[17] = 0x07;
		put32(p + 36, (uint32_t)ns);
		put32(p + 40, (uint32_t)size);
		memcpy(p + 44, guid, 16);
	} else {
		put32(p + 8, (uint32_t)ns);
		put32(p + 12, (uint32_t)size);
		memcpy(p + 16, guid, 16);
	}
	for (size_t i = 0; i < ns / 2; i++) {
		p[hs + 2 * i] = (uint8_t)name[i];
		p[hs + 2 * i + 1] = 0;
	}
	memcpy(p + hs + ns, data, size);
	m->pos = (h + hs + ns + size + 3) & ~(size_t)3;
	return h;
}

/* ---- collecting what the parser passes on ---- */

struct seen {
	int n;
	char names[64][32];
	uint32_t attrs[64];
	uint8_t first[64];
	size_t size[64];
	int has_digest[64];
	uint8_t digest[64][32];
	uint16_t year[64];
};

static int collect(void *arg, const struct fd_var *v)
{
	struct seen *s = arg;
	size_t i;
	if (s->n >= 64)
		return 0;
	for (i = 0; i < v->name_size / 2 && i < 31; i++) {
		uint16_t c;
		memcpy(&c, (const uint8_t *)v->name + 2 * i, 2);
		s->names[s->n][i] = (char)c;
	}
	s->names[s->n][i] = 0;
	s->attrs[s->n] = v->attrs;
	s->size[s->n] = v->size;
	s->first[s->n] = v->size ? v->data[0] : 0;
	s->has_digest[s->n] = v->has_digest;
	memcpy(s->digest[s->n], v->digest, 32);
	s->year[s->n] = v->time.year;
	s->n++;
	return 0;
}

static int parse(const uint8_t *b, size_t len, struct seen *s, char *err)
{
	memset(s, 0, sizeof(*s));
	return fdstore_parse(b, len, collect, s, err, 160);
}

static int find(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return i;
	return -1;
}

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	if (!f)
		return NULL;
	b = malloc(8u << 20);
	*len = fread(b, 1, 8u << 20, f);
	fclose(f);
	return b;
}

/* ---- Debian's files ---- */

static void test_ovmf_blank(void **state)
{
	struct seen s;
	char err[160];
	size_t len = 0;
	uint8_t *b = load(OVMF "OVMF_VARS_4M.fd", &len);
	(void)state;
	if (!b)
		skip();
	assert_int_equal(parse(b, len, &s, err), 0);
	assert_int_equal(s.n, 0);
	free(b);
}

static void test_ovmf_ms(void **state)
{
	static const char *const keys[] = {"PK", "KEK", "db", "dbx"};
	struct seen s;
	char err[160];
	size_t len = 0;
	uint8_t *b = load(OVMF "OVMF_VARS_4M.ms.fd", &len);
	(void)state;
	if (!b)
		skip();
	assert_int_equal(parse(b, len, &s, err), 0);
	for (int k = 0; k < 4; k++) {
		int i = find(&s, keys[k]);
		assert_true(i >= 0);
		assert_int_equal(s.attrs[i],
		                 0x27);      /* NV|BS|RT|TIME_BASED_AUTHENTICATED_WRITE_ACCESS */
		assert_true(s.size[i] > 28); /* at least one EFI_SIGNATURE_LIST */
		assert_true(s.year[i] != 0);
	}
	/* the 2 MiB layout and the snakeoil keys parse too */
	free(b);
	const char *more[] = {OVMF "OVMF_VARS.fd", OVMF "OVMF_VARS.ms.fd",
	                      OVMF "OVMF_VARS_4M.snakeoil.fd"};
	for (int k = 0; k < 3; k++) {
		b = load(more[k], &len);
		if (!b)
			continue;
		assert_int_equal(parse(b, len, &s, err), 0);
		free(b);
	}
}

/* Every truncation of the real file and bit flips in its headers: -1 or 0, never a crash. */
static void test_ovmf_corrupt(void **state)
{
	struct seen s;
	char err[160];
	size_t len = 0, cut;
	uint8_t *b = load(OVMF "OVMF_VARS_4M.ms.fd", &len);
	(void)state;
	if (!b)
		skip();
	for (cut = 0; cut < len; cut += cut < 200 ? 1 : 4093) {
		uint8_t *t = malloc(
		    cut ? cut : 1); /* exact size: a read past it is caught by ASan/valgrind */
		memcpy(t, b, cut);
		assert_int_equal(parse(t, cut, &s, err), -1);
		assert_true(err[0] != 0);
		free(t);
	}
	srand(7);
	for (int k = 0; k < 2000; k++) {
		uint8_t *t = malloc(len);
		size_t at = (size_t)rand() % 8192;
		memcpy(t, b, len);
		t[at] ^= (uint8_t)(1u << (rand() % 8));
		(void)parse(t, len, &s, err);
		free(t);
	}
	free(b);
}

/* ---- built stores ---- */

static void test_basic(void **state)
{
	struct img m;
	struct seen s;
	char err[160];
	(void)state;
	img_init(&m, 1);
	img_add(&m, vendor, "Alpha", 0x3f, 7, "\x11\x22\x33", 3);
	img_add(&m, vendor, "Beta", 0x3f, 3, "\x44", 1);
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "Alpha");
	assert_int_equal(s.size[0], 3);
	assert_int_equal(s.first[0], 0x11);
	assert_string_equal(s.names[1], "Beta");
	assert_int_equal(s.year[1], 2025);
	img_init(&m, 0);
	img_add(&m, vendor, "Plain", 0x3f, 7, "\x55\x66", 2);
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.names[0], "Plain");
	assert_int_equal(s.first[0], 0x55);
	assert_int_equal(s.year[0], 0);
}

static int stop_at_second(void *arg, const struct fd_var *v)
{
	(void)v;
	return ++*(int *)arg == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
	struct img m;
	char err[160];
	int n = 0;
	(void)state;
	img_init(&m, 1);
	img_add(&m, vendor, "A", 0x3f, 7, "a", 1);
	img_add(&m, vendor, "B", 0x3f, 7, "b", 1);
	img_add(&m, vendor, "C", 0x3f, 7, "c", 1);
	assert_int_equal(fdstore_parse(m.b, sizeof(m.b), stop_at_second, &n, err, sizeof(err)), 42);
	assert_int_equal(n, 2);
}

/* edk2's states: deleted and header-only copies are skipped; a copy in
 * deleted transition counts only when no added copy exists. */
static void test_states(void **state)
{
	struct img m;
	struct seen s;
	char err[160];
	(void)state;
	img_init(&m, 1);
	img_add(&m, vendor, "Old", 0x3e, 7, "\x01", 1);   /* in transition, superseded */
	img_add(&m, vendor, "Gone", 0x3c, 7, "\x02", 1);  /* deleted */
	img_add(&m, vendor, "Half", 0x7f, 7, "\x03", 1);  /* header valid only */
	img_add(&m, vendor, "Old", 0x3f, 7, "\x04", 1);   /* the new copy */
	img_add(&m, vendor, "Alone", 0x3e, 7, "\x05", 1); /* in transition, no new copy */
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "Old");
	assert_int_equal(s.first[0], 0x04);
	assert_string_equal(s.names[1], "Alone");
	assert_int_equal(s.first[1], 0x05);
}

/* certdb (AuthService.c): {u32 ListSize; {GUID, NodeSize, NameSize (chars), CertDataSize, name,
 * digest}...} */
static void test_certdb(void **state)
{
	struct img m;
	struct seen s;
	char err[160];
	uint8_t db[4 + 28 + 10 + 32];
	(void)state;
	memset(db, 0, sizeof(db));
	put32(db, sizeof(db));
	memcpy(db + 4, vendor, 16);
	put32(db + 20, 28 + 10 + 32);
	put32(db + 24, 5);
	put32(db + 28, 32);
	for (int i = 0; i < 5; i++)
		db[32 + 2 * i] = (uint8_t) "Priv1"[i];
	for (int i = 0; i < 32; i++)
		db[42 + i] = (uint8_t)(0xa0 + i);
	img_init(&m, 1);
	img_add(&m, vendor, "Priv1", 0x3f, 0x27, "\x09", 1);
	img_add(&m, vendor, "Priv2", 0x3f, 0x27, "\x0a", 1);
	img_add(&m, certdb_guid, "certdb", 0x3f, 0x27, db, sizeof(db));
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), 0);
	assert_int_equal(s.n, 2); /* certdb itself is not passed on */
	assert_true(s.has_digest[0]);
	assert_int_equal(s.digest[0][0], 0xa0);
	assert_int_equal(s.digest[0][31], 0xa0 + 31);
	assert_false(s.has_digest[1]);
	/* a certdb entry that is not a SHA-256 digest, or whose sizes disagree */
	put32(db + 28, 31);
	img_init(&m, 1);
	img_add(&m, certdb_guid, "certdb", 0x3f, 0x27, db, sizeof(db));
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), -1);
	assert_non_null(strstr(err, "certdb"));
	put32(db + 28, 32);
	put32(db, sizeof(db) + 4);
	img_init(&m, 1);
	img_add(&m, certdb_guid, "certdb", 0x3f, 0x27, db, sizeof(db));
	assert_int_equal(parse(m.b, sizeof(m.b), &s, err), -1);
}

static void expect_error(struct img *m, const char *msg)
{
	struct seen s;
	char err[160];
	assert_int_equal(parse(m->b, sizeof(m->b), &s, err), -1);
	if (!strstr(err, msg))
		fail_msg("error '%s' does not say '%s'", err, msg);
}

static void test_header_errors(void **state)
{
	struct img m;
	(void)state;
	img_init(&m, 1);
	m.b[40] = 'X';
	expect_error(&m, "not a firmware volume");
	img_init(&m, 1);
	m.b[16] ^= 1;
	expect_error(&m, "FileSystemGuid");
	img_init(&m, 1);
	put32(m.b + 32, IMG_SIZE + 1);
	fv_checksum(m.b);
	expect_error(&m, "FvLength runs past");
	img_init(&m, 1);
	m.b[54] = 1; /* Reserved, checksummed */
	expect_error(&m, "checksum");
	img_init(&m, 1);
	m.b[48] = 0xff;
	m.b[49] = 0x7f;
	fv_checksum(m.b);
	expect_error(&m, "HeaderLength");
	img_init(&m, 1);
	put32(m.b + FV_HDR + 16, STORE_SIZE + 4);
	expect_error(&m, "Size runs past");
	img_init(&m, 1);
	m.b[FV_HDR] ^= 1;
	expect_error(&m, "unknown variable store signature");
	img_init(&m, 1);
	m.b[FV_HDR + 20] = 0xff;
	expect_error(&m, "not formatted");
	img_init(&m, 1);
	m.b[FV_HDR + 21] = 0xff;
	expect_error(&m, "not healthy");
}

static void test_variable_errors(void **state)
{
	struct img m;
	size_t h;
	(void)state;
	img_init(&m, 1);
	img_add(&m, vendor, "Fine", 0x3f, 7, "x", 1);
	h = img_add(&m, vendor, "Long", 0x3f, 7, "y", 1);
	put32(m.b + h + 36, STORE_SIZE);
	expect_error(&m, "variable 1 at 0x");
	expect_error(&m, "name runs past the store");
	img_init(&m, 1);
	h = img_add(&m, vendor, "Big", 0x3f, 7, "y", 1);
	put32(m.b + h + 40, STORE_SIZE - 90);
	expect_error(&m, "data runs past the store");
	img_init(&m, 1);
	h = img_add(&m, vendor, "NoNul", 0x3f, 7, "y", 1);
	m.b[h + 60 + 10] = 'Z';
	expect_error(&m, "NUL-terminated");
	img_init(&m, 1);
	h = img_add(&m, vendor, "Odd", 0x3f, 7, "y", 1);
	put32(m.b + h + 36, 7);
	expect_error(&m, "NUL-terminated");
	/* a header cut by the end of the store */
	img_init(&m, 1);
	put32(m.b + FV_HDR + 16, 28 + 30);
	m.b[FV_HDR + 28] = 0xaa;
	m.b[FV_HDR + 29] = 0x55;
	expect_error(&m, "header runs past the store");
}

/* Every truncation and every single-bit flip of a small store: no crash. */
static void test_fuzzish(void **state)
{
	struct img m;
	struct seen s;
	char err[160];
	(void)state;
	img_init(&m, 1);
	img_add(&m, vendor, "A", 0x3f, 7, "abc", 3);
	img_add(&m, vendor, "Bee", 0x3e, 0x27, "defg", 4);
	img_add(&m, certdb_guid, "certdb", 0x3f, 0x27, "\x04\0\0\0", 4);
	for (size_t cut = 0; cut < m.pos + 8; cut++) {
		uint8_t *t = malloc(cut ? cut : 1);
		memcpy(t, m.b, cut);
		(void)parse(t, cut, &s, err);
		free(t);
	}
	for (size_t bit = 0; bit < 8 * (m.pos + 8); bit++) {
		struct img c = m;
		c.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		(void)parse(c.b, sizeof(c.b), &s, err);
	}
	/* the error buffer is always terminated, also when tiny */
	img_init(&m, 1);
	m.b[40] = 0;
	memset(err, 'q', sizeof(err));
	assert_int_equal(fdstore_parse(m.b, sizeof(m.b), collect, &s, err, 5), -1);
	assert_int_equal(strlen(err), 4);
	assert_int_equal(fdstore_parse(m.b, sizeof(m.b), collect, &s, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ovmf_blank),      cmocka_unit_test(test_ovmf_ms),
	    cmocka_unit_test(test_ovmf_corrupt),    cmocka_unit_test(test_basic),
	    cmocka_unit_test(test_callback_stops),  cmocka_unit_test(test_states),
	    cmocka_unit_test(test_certdb),          cmocka_unit_test(test_header_errors),
	    cmocka_unit_test(test_variable_errors), cmocka_unit_test(test_fuzzish),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
