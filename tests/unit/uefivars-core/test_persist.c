/*
 * uefivars persistence over an in-memory storaged (fake_storaged.c): one
 * object per non-volatile variable, committed before the call returns; a
 * failed commit leaves memory unchanged; reload in creation order; records
 * that do not parse stop the service; the first boot's marker; and Keel's
 * varadmin GET_RECORD / IMPORT.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fake_storaged.h"
#include "mm_helpers.h"
#include "uv_int.h"

struct uefivars uv;
uint8_t buf[MM_BUFFER_EDK2];

#define STORE ((keel_handle_t)3)

static int setup(void **state)
{
	(void)state;
	fake_storaged_reset();
	return uv_init(&uv, STORE, NULL, 0) == EFI_SUCCESS ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	uv_fini(&uv);
	return 0;
}

static void object_name(const char *ascii, char out[PERSIST_NAME_MAX])
{
	uint16_t name[64];
	size_t ns = ucs2((uint8_t *)name, ascii);
	assert_true(persist_object_name(&test_guid, name, ns, out));
}

static void reload(void)
{
	uv_fini(&uv);
	assert_int_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
}

static void test_first_boot_marker(void **state)
{
	(void)state;
	size_t len;
	assert_non_null(fake_storaged_object(PERSIST_META_NAME, &len));
	assert_int_equal(fake_storaged_count(), 1);
	assert_int_equal(fake_storaged_commits, 1);
}

static void test_nv_committed_volatile_not(void **state)
{
	(void)state;
	char name[PERSIST_NAME_MAX];
	size_t len;
	unsigned commits = fake_storaged_commits;
	assert_int_equal(set_var("Boot0000", NBR, "abc", 3), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, commits + 1);
	object_name("Boot0000", name);
	assert_int_equal(strlen(name), 42);
	const uint8_t *rec = fake_storaged_object(name, &len);
	assert_non_null(rec);
	assert_int_equal(len, 96 + 18 + 3);
	/* volatile: never written, no commit */
	assert_int_equal(set_var("Vol", BS | RT, "abc", 3), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, commits + 1);
	assert_int_equal(fake_storaged_count(), 2);
	/* the same data again: no commit either */
	assert_int_equal(set_var("Boot0000", NBR, "abc", 3), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, commits + 1);
	/* delete removes the object */
	assert_int_equal(set_var("Boot0000", NBR, NULL, 0), EFI_SUCCESS);
	assert_null(fake_storaged_object(name, &len));
	assert_int_equal(fake_storaged_commits, commits + 2);
}

static void test_failed_commit(void **state)
{
	(void)state;
	char out[8];
	size_t size;
	assert_int_equal(set_var("Keep", NBR, "old", 3), EFI_SUCCESS);
	fake_storaged_fail_commit = 1;
	assert_int_equal(set_var("Keep", NBR, "new", 3), EFI_DEVICE_ERROR);
	assert_int_equal(set_var("Keep", NBR | EFI_VARIABLE_APPEND_WRITE, "x", 1),
	                 EFI_DEVICE_ERROR);
	assert_int_equal(set_var("Keep", NBR, NULL, 0), EFI_DEVICE_ERROR);
	assert_int_equal(set_var("Fresh", NBR, "f", 1), EFI_DEVICE_ERROR);
	/* volatile writes need no commit */
	assert_int_equal(set_var("Vol", BS, "v", 1), EFI_SUCCESS);
	fake_storaged_fail_commit = 0;
	assert_int_equal(get_var("Keep", out, sizeof(out), &size, NULL), EFI_SUCCESS);
	assert_int_equal(size, 3);
	assert_memory_equal(out, "old", 3);
	assert_int_equal(get_var("Fresh", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	/* and nothing half-staged went out with the next commit */
	assert_int_equal(set_var("Other", NBR, "o", 1), EFI_SUCCESS);
	reload();
	assert_int_equal(get_var("Keep", out, sizeof(out), &size, NULL), EFI_SUCCESS);
	assert_memory_equal(out, "old", 3);
	assert_int_equal(get_var("Fresh", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
}

static void test_reload_order(void **state)
{
	(void)state;
	const char *names[] = {"Zz", "Aa", "Mm", "Bb"};
	for (int i = 0; i < 4; i++)
		assert_int_equal(set_var(names[i], NBR, names[i], 2), EFI_SUCCESS);
	assert_int_equal(set_var("Aa", NBR, "changed", 7), EFI_SUCCESS); /* keeps its place */
	assert_int_equal(set_var("Vol", BS, "v", 1), EFI_SUCCESS);
	struct mm_var_query_info before, after;
	assert_int_equal(query(NBR, &before), EFI_SUCCESS);
	reload();
	char name[64] = "";
	efi_guid g;
	memset(&g, 0, sizeof(g));
	uint64_t ns;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(get_next_test(&g, name, sizeof(name), &ns), EFI_SUCCESS);
		assert_string_equal(name, names[i]);
	}
	assert_int_equal(get_next_test(&g, name, sizeof(name), &ns),
	                 EFI_NOT_FOUND); /* Vol is gone */
	char out[8];
	size_t size;
	uint32_t attrs;
	assert_int_equal(get_var("Aa", out, sizeof(out), &size, &attrs), EFI_SUCCESS);
	assert_int_equal(size, 7);
	assert_int_equal(attrs, NBR);
	assert_memory_equal(out, "changed", 7);
	assert_int_equal(query(NBR, &after), EFI_SUCCESS);
	assert_int_equal(before.remaining_storage_size, after.remaining_storage_size);
	/* a new variable after reload comes last */
	assert_int_equal(set_var("New", NBR, "n", 1), EFI_SUCCESS);
	reload();
	name[0] = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(get_next_test(&g, name, sizeof(name), &ns), EFI_SUCCESS);
	assert_string_equal(name, "New");
}

static void test_corrupt_refused(void **state)
{
	(void)state;
	char name[PERSIST_NAME_MAX];
	size_t len;
	assert_int_equal(set_var("Victim", NBR, "abc", 3), EFI_SUCCESS);
	object_name("Victim", name);
	const uint8_t *rec = fake_storaged_object(name, &len);
	uint8_t copy[256];
	memcpy(copy, rec, len);
	uv_fini(&uv);
	/* truncated, bad magic, bad version, sizes off, odd name, non-volatile bit cleared */
	size_t offs[] = {0, 4, 20, 20, 16};
	uint8_t vals[] = {'X', 9, 0x13, 0x20, 0x06};
	for (size_t i = 0; i < 5; i++) {
		uint8_t bad[256];
		memcpy(bad, copy, len);
		bad[offs[i]] = vals[i];
		fake_storaged_poke(name, bad, len);
		assert_int_not_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
		uv_fini(&uv);
	}
	fake_storaged_poke(name, copy, len - 1);
	assert_int_not_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
	uv_fini(&uv);
	/* a record under another variable's object name */
	fake_storaged_poke(name, copy, len);
	fake_storaged_poke("v-0000000000000000000000000000000000000000", copy, len);
	assert_int_not_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
	uv_fini(&uv);
	/* an object that is not ours */
	fake_storaged_reset();
	fake_storaged_poke(name, copy, len);
	fake_storaged_poke("stranger", "x", 1);
	assert_int_not_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
	uv_fini(&uv);
	/* the intact record alone loads */
	fake_storaged_reset();
	fake_storaged_poke(name, copy, len);
	assert_int_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
	assert_int_equal(get_var("Victim", NULL, 8, NULL, NULL), EFI_SUCCESS);
	/* no marker was added: the namespace was not empty */
	assert_null(fake_storaged_object(PERSIST_META_NAME, &len));
}

/* varadmin: {u64 function; u64 status} at buf+24, payload at buf+40. */
static efi_status varadmin(uint64_t fn, size_t payload, size_t *out_len)
{
	uint64_t rc;
	memcpy(buf + 24, &fn, 8);
	size_t out = mm_call(&keel_varadmin_guid, 16 + payload, &rc);
	assert_int_equal(rc, SVSM_SUCCESS);
	if (out_len)
		*out_len = out;
	return status_at(32);
}

static size_t put_record(uint8_t *p, const char *name, uint32_t attrs, const char *data)
{
	struct varadmin_record r;
	memset(&r, 0, sizeof(r));
	r.guid = test_guid;
	r.attributes = attrs;
	r.name_size = (uint32_t)ucs2(p + sizeof(r), name);
	r.data_size = (uint32_t)strlen(data);
	memcpy(p, &r, sizeof(r));
	memcpy(p + sizeof(r) + r.name_size, data, r.data_size);
	return (sizeof(r) + r.name_size + r.data_size + 7) & ~(size_t)7;
}

static void test_varadmin(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	uint32_t hdr[2] = {3, 0};
	memcpy(buf + 40, hdr, 8);
	size_t off = 48;
	off += put_record(buf + off, "One", NBR, "1");
	off += put_record(buf + off, "Two", NV | BS, "22");
	off += put_record(buf + off, "Three",
	                  NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, "333");
	unsigned commits = fake_storaged_commits;
	assert_int_equal(varadmin(KEEL_VARADMIN_IMPORT, off - 40, NULL), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, commits + 1); /* one commit for all */
	char out[8];
	size_t size;
	assert_int_equal(get_var("Two", out, sizeof(out), &size, NULL), EFI_SUCCESS);
	assert_memory_equal(out, "22", 2);
	/* not twice */
	memcpy(buf + 24 + 16, hdr, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_IMPORT, off - 40, NULL), EFI_WRITE_PROTECTED);
	/* GET_RECORD */
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 40, &test_guid, 16);
	uint64_t ns = ucs2(buf + 64, "Three");
	memcpy(buf + 56, &ns, 8);
	size_t out_len;
	assert_int_equal(varadmin(KEEL_VARADMIN_GET_RECORD, 24 + ns, &out_len), EFI_SUCCESS);
	struct varadmin_record r;
	memcpy(&r, buf + 40, sizeof(r));
	assert_int_equal(r.attributes, NBR | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS);
	assert_int_equal(r.name_size, 12);
	assert_int_equal(r.data_size, 3);
	assert_memory_equal(buf + 40 + 80 + 12, "333", 3);
	assert_int_equal(out_len, 24 + 16 + ((80 + 12 + 3 + 7) & ~7u));
	uint64_t mlen;
	memcpy(&mlen, buf + 16, 8);
	assert_int_equal(mlen, out_len - 24);
	/* missing, malformed */
	ns = ucs2(buf + 64, "Nope");
	memcpy(buf + 56, &ns, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_GET_RECORD, 24 + ns, NULL), EFI_NOT_FOUND);
	ns = 5;
	memcpy(buf + 56, &ns, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_GET_RECORD, 24 + 10, NULL), EFI_INVALID_PARAMETER);
	ns = 1000;
	memcpy(buf + 56, &ns, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_GET_RECORD, 24 + 10, NULL), EFI_ACCESS_DENIED);
	/* at runtime, BS-only ones are not exported */
	event(&mm_exit_boot_services_guid);
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 40, &test_guid, 16);
	ns = ucs2(buf + 64, "Two");
	memcpy(buf + 56, &ns, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_GET_RECORD, 24 + ns, NULL), EFI_NOT_FOUND);
}

static void test_varadmin_import_refusals(void **state)
{
	(void)state;
	uint32_t hdr[2] = {2, 0};
	/* malformed records: nothing stored */
	for (int c = 0; c < 5; c++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf + 40, hdr, 8);
		size_t off = 48;
		off += put_record(buf + off, "Good", NBR, "g");
		uint8_t *r = buf + off;
		off += put_record(r, c == 4 ? "Good" : "Bad", c == 1 ? BS : NBR, "b");
		if (c == 0)
			r[20] = 0xff; /* name_size past the message */
		if (c == 2)
			r[20] = 7; /* odd name size */
		if (c == 3)
			r[24] = 0xff; /* data_size past the message */
		assert_int_equal(varadmin(KEEL_VARADMIN_IMPORT, off - 40, NULL),
		                 EFI_INVALID_PARAMETER);
		assert_int_equal(get_var("Good", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
	}
	/* count past the message */
	hdr[0] = 1000;
	memcpy(buf + 40, hdr, 8);
	assert_int_equal(varadmin(KEEL_VARADMIN_IMPORT, 8 + 88, NULL), EFI_INVALID_PARAMETER);
	/* too late */
	event(&mm_end_of_dxe_guid);
	hdr[0] = 1;
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 40, hdr, 8);
	size_t off = 48 + put_record(buf + 48, "Good", NBR, "g");
	assert_int_equal(varadmin(KEEL_VARADMIN_IMPORT, off - 40, NULL), EFI_ACCESS_DENIED);
	assert_int_equal(get_var("Good", NULL, 0, NULL, NULL), EFI_NOT_FOUND);
}

/* Debian's OVMF_VARS_4M.ms.fd (package ovmf): Microsoft's keys enrolled. */
#define OVMF_MS "/usr/share/OVMF/OVMF_VARS_4M.ms.fd"

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static uint8_t img[8u << 20];
	*len = fread(img, 1, sizeof(img), f);
	fclose(f);
	return img;
}

static bool has_var(const efi_guid *g, const char *ascii)
{
	for (const struct uv_var *v = uv.vars; v; v = v->next)
		if (efi_guid_eq(&v->guid, g) && uv_name_is(v->name, v->name_size, ascii))
			return true;
	return false;
}

static void test_first_boot_default_store(void **state)
{
	(void)state;
	size_t len = 0;
	uint8_t *img = read_file(OVMF_MS, &len);
	if (!img)
		skip();
	uv_fini(&uv);
	fake_storaged_reset();
	assert_int_equal(uv_init(&uv, STORE, img, len), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, 1); /* the import and the marker: one commit */
	assert_true(has_var(&efi_global_variable_guid, "PK"));
	assert_true(has_var(&efi_global_variable_guid, "KEK"));
	assert_true(has_var(&efi_image_security_database_guid, "db"));
	assert_true(has_var(&efi_image_security_database_guid, "dbx"));
	size_t nv = 0;
	for (const struct uv_var *v = uv.vars; v; v = v->next)
		nv += (v->attrs & EFI_VARIABLE_NON_VOLATILE) != 0;
	assert_int_equal(fake_storaged_count(), nv + 1);
	assert_false(uv.setup_mode); /* PK enrolled */
	/* the next start loads what was stored and does not import again */
	reload();
	assert_int_equal(fake_storaged_commits, 1);
	assert_true(has_var(&efi_image_security_database_guid, "db"));
	/* a store that does not parse: refused, nothing committed */
	uv_fini(&uv);
	fake_storaged_reset();
	assert_int_not_equal(uv_init(&uv, STORE, img, 100), EFI_SUCCESS);
	assert_int_equal(fake_storaged_commits, 0);
	uv_fini(&uv);
	assert_int_equal(uv_init(&uv, STORE, NULL, 0), EFI_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_first_boot_marker, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nv_committed_volatile_not, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reload_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_varadmin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_varadmin_import_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_first_boot_default_store, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
