/*
 * keel-varctl's pure parts (tools/keel-varctl/text.c, json.c): GUID and
 * attribute text, UTF-8 names, hex, and the JSON varstore reader: the
 * records it builds (mm_wire.h varadmin_record layout) and what it refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "varctl.h"

static void test_guid(void **state)
{
	efi_guid g;
	char s[37];
	(void)state;
	assert_int_equal(guid_parse("8be4df61-93ca-11d2-aa0d-00e098032b8c", &g), 0);
	assert_true(efi_guid_eq(&g, &efi_global_variable_guid)); /* wire order: first fields LE */
	guid_format(&efi_image_security_database_guid, s);
	assert_string_equal(s, "d719b2cb-3d3a-4596-a3bc-dad00e67656f");
	assert_int_equal(guid_parse("D719B2CB-3D3A-4596-A3BC-DAD00E67656F", &g), 0);
	assert_true(efi_guid_eq(&g, &efi_image_security_database_guid));
	assert_int_equal(guid_parse("8be4df61-93ca-11d2-aa0d-00e098032b8", &g), -1);
	assert_int_equal(guid_parse("8be4df61-93ca-11d2-aa0d-00e098032b8cc", &g), -1);
	assert_int_equal(guid_parse("8be4df61x93ca-11d2-aa0d-00e098032b8c", &g), -1);
	assert_int_equal(guid_parse("8be4df61-93ca-11d2-aa0d-00e098032bxc", &g), -1);
	assert_true(guid_default("db") == &efi_image_security_database_guid);
	assert_true(guid_default("dbx") == &efi_image_security_database_guid);
	assert_true(guid_default("PK") == &efi_global_variable_guid);
	assert_true(guid_default("dbdefault") == &efi_global_variable_guid);
}

static void test_attrs(void **state)
{
	uint32_t a;
	char s[80];
	(void)state;
	assert_int_equal(attrs_parse("27", &a), 0);
	assert_int_equal(a, 0x27);
	assert_int_equal(attrs_parse("0x7", &a), 0);
	assert_int_equal(a, 7);
	assert_int_equal(attrs_parse("NV,BS,RT,AT", &a), 0);
	assert_int_equal(a, 0x27);
	assert_int_equal(attrs_parse("nv|bs", &a), 0);
	assert_int_equal(a, 3);
	assert_int_equal(attrs_parse("NV,", &a), -1);
	assert_int_equal(attrs_parse("NV,XX", &a), -1);
	assert_int_equal(attrs_parse("", &a), -1);
	assert_int_equal(attrs_parse("-1", &a), -1);
	assert_int_equal(attrs_parse("100000000", &a), -1);
	attrs_format(0x27, s, sizeof(s));
	assert_string_equal(s, "NV,BS,RT,AT");
	attrs_format(0, s, sizeof(s));
	assert_string_equal(s, "0x0");
	attrs_format(0x103, s, sizeof(s));
	assert_string_equal(s, "NV,BS,0x100");
}

static void test_names(void **state)
{
	static struct varkey k;
	char *back;
	(void)state;
	assert_int_equal(name_from_utf8("Boot0001", &k), 0);
	assert_int_equal(k.name_size, 18);
	assert_int_equal(k.name[0], 'B');
	assert_int_equal(k.name[8], 0);
	assert_int_equal(name_from_utf8("Bo\xc3\xbct\xe2\x82\xac", &k), 0); /* ü, € */
	assert_int_equal(k.name[2], 0xfc);
	assert_int_equal(k.name[4], 0x20ac);
	back = name_to_utf8(k.name, k.name_size);
	assert_string_equal(back, "Bo\xc3\xbct\xe2\x82\xac");
	free(back);
	assert_int_equal(name_from_utf8("", &k), -1);
	assert_int_equal(name_from_utf8("a\tb", &k), -1);             /* control character */
	assert_int_equal(name_from_utf8("\xf0\x9f\x98\x80", &k), -1); /* outside UCS-2 */
	assert_int_equal(name_from_utf8("\xed\xa0\x80", &k), -1);     /* a surrogate */
	assert_int_equal(name_from_utf8("\xc3", &k), -1);             /* cut sequence */
	char *long_name = malloc(VARCTL_NAME_MAX + 2);
	memset(long_name, 'x', VARCTL_NAME_MAX + 1);
	long_name[VARCTL_NAME_MAX + 1] = 0;
	assert_int_equal(name_from_utf8(long_name, &k), -1);
	long_name[VARCTL_NAME_MAX] = 0;
	assert_int_equal(name_from_utf8(long_name, &k), 0);
	free(long_name);
}

static void test_hex(void **state)
{
	uint8_t b[3];
	char *h;
	(void)state;
	assert_int_equal(hex_decode("00fFa0", 3, b), 0);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(hex_decode("00ff", 3, b), -1);
	assert_int_equal(hex_decode("00ffa0g0", 4, b), -1);
	h = hex_encode((const uint8_t *)"\x01\xab", 2);
	assert_string_equal(h, "01ab");
	free(h);
}

static int load(const char *json, struct recbuf *rb)
{
	memset(rb, 0, sizeof(*rb));
	return json_to_records("t.json", (const uint8_t *)json, strlen(json), rb);
}

static void test_json_records(void **state)
{
	struct recbuf rb;
	struct varadmin_record r;
	(void)state;
	assert_int_equal(load("{\"variables\": [{\"name\": \"PK\", \"attr\": 39, \"guid\": "
	                      "\"8be4df61-93ca-11d2-aa0d-00e098032b8c\", \"data\": \"a1b2c3\", "
	                      "\"time\": \"e907030a023527000000000000000000\", \"digest\": "
	                      "\"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\"}, "
	                      "{\"guid\": \"01234567-89ab-cdef-0123-456789abcdef\", \"name\": \"X\", "
	                      "\"attr\": 7, \"data\": \"\"}], \"version\": 2}",
	                      &rb),
	                 0);
	assert_int_equal(rb.count, 2);
	memcpy(&r, rb.p, sizeof(r));
	assert_true(efi_guid_eq(&r.guid, &efi_global_variable_guid));
	assert_int_equal(r.attributes, 0x27);
	assert_int_equal(r.name_size, 6);
	assert_int_equal(r.data_size, 3);
	assert_int_equal(r.has_digest, 1);
	assert_int_equal(r.digest[31], 0xbf);
	assert_int_equal(r.time.year, 2025);
	assert_int_equal(rb.p[sizeof(r)], 'P');
	assert_int_equal(rb.p[sizeof(r) + 6], 0xa1);
	/* the second record starts 8-aligned: 80 + 6 + 3 = 89 -> 96 */
	memcpy(&r, rb.p + 96, sizeof(r));
	assert_int_equal(r.attributes, 7);
	assert_int_equal(r.has_digest, 0);
	assert_int_equal(r.data_size, 0);
	assert_int_equal(rb.len, 96 + 88);
	free(rb.p);
	assert_int_equal(load("{\"version\": 2, \"variables\": []}", &rb), 0);
	assert_int_equal(rb.count, 0);
	free(rb.p);
}

static void test_json_refused(void **state)
{
	static const char *const bad[] = {
		"", "[]", "{\"version\": 2}", "{\"version\": \"2\", \"variables\": []}",
		"{\"version\": 2, \"variables\": {}}", "{\"version\": 2, \"variables\": [], \"x\": 1}",
		"{\"version\": 2, \"version\": 2, \"variables\": []}",
		"{\"version\": 2, \"variables\": [7]}",
		"{\"version\": 2, \"variables\": [{\"name\": \"A\", \"attr\": 7, \"data\": \"00\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"attr\": 7, \"data\": \"00\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\", \"attr\": 7.5, \"data\": \"00\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\", \"attr\": 4294967296, \"data\": \"00\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\", \"attr\": 7, \"data\": \"0g\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\\u0000B\", \"attr\": 7, \"data\": \"00\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\", \"attr\": 7, \"data\": \"00\", \"time\": "
		"\"e907030a023527000000000000000000\"}]}",
		"{\"version\": 2, \"variables\": [{\"guid\": \"8be4df61-93ca-11d2-aa0d-00e098032b8c\", "
		"\"name\": \"A\", \"attr\": 39, \"data\": \"00\", \"digest\": \"a0a1\"}]}",
	};
	struct recbuf rb;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (load(bad[i], &rb) != -1)
			fail_msg("accepted: %s", bad[i]);
		free(rb.p);
	}
}

/* Past one 256 KiB import: refused, not truncated. */
static void test_too_big(void **state)
{
	struct recbuf rb = { 0 };
	static uint8_t data[100000];
	uint16_t name[2] = { 'A', 0 };
	(void)state;
	assert_int_equal(rec_add(&rb, &efi_global_variable_guid, name, 4, 7, data, sizeof(data), NULL,
	                         NULL),
	                 0);
	assert_int_equal(rec_add(&rb, &efi_global_variable_guid, name, 4, 7, data, sizeof(data), NULL,
	                         NULL),
	                 0);
	assert_int_equal(rec_add(&rb, &efi_global_variable_guid, name, 4, 7, data, sizeof(data), NULL,
	                         NULL),
	                 -1);
	assert_int_equal(rb.count, 2);
	free(rb.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid),         cmocka_unit_test(test_attrs),
		cmocka_unit_test(test_names),        cmocka_unit_test(test_hex),
		cmocka_unit_test(test_json_records), cmocka_unit_test(test_json_refused),
		cmocka_unit_test(test_too_big),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
