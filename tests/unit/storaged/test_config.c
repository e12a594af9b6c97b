/*
 * storaged's configuration parser (apps/storaged/config.c): the manifest
 * arg= words, accepted exactly and everything else refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "storaged.h"

static struct storaged_config cfg;
static char err[160];

static int parse(const char *arg)
{
	memset(&cfg, 0xa5, sizeof(cfg));
	err[0] = '\0';
	return storaged_config_parse(arg, &cfg, err, sizeof(err));
}

static void boot_manifest_line(void **state)
{
	(void)state;
	assert_int_equal(parse("blk=1 ns=2:vtpm dev-key"), 0);
	assert_int_equal(cfg.blk, 1);
	assert_int_equal(cfg.key, KEEL_HANDLE_INVALID);
	assert_int_equal(cfg.dev_key, 1);
	assert_int_equal(cfg.nns, 1);
	assert_int_equal(cfg.ns[0].slot, 2);
	assert_string_equal(cfg.ns[0].name, "vtpm");
}

static void key_channel_and_two_namespaces(void **state)
{
	(void)state;
	assert_int_equal(parse("  blk=1 key=2\tns=3:vtpm ns=4:uefivars "), 0);
	assert_int_equal(cfg.key, 2);
	assert_int_equal(cfg.dev_key, 0);
	assert_int_equal(cfg.nns, 2);
	assert_string_equal(cfg.ns[1].name, "uefivars");
	assert_int_equal(cfg.ns[1].slot, 4);
	assert_int_equal(parse("ns=0:a-1 key=63 blk=10"), 0); /* any order, slots 0..63 */
	assert_int_equal(cfg.ns[0].slot, 0);
	assert_int_equal(parse("blk=1 key=2 ns=3:abcdefghijklmno"), 0); /* 15 characters */
}

static void refuse(const char *arg, const char *why)
{
	assert_int_equal(parse(arg), -1);
	if (!strstr(err, why))
		fail_msg("\"%s\": error \"%s\" does not say \"%s\"", arg, err, why);
}

static void missing_words(void **state)
{
	(void)state;
	refuse("", "missing blk=");
	refuse(NULL, "missing blk=");
	refuse("key=2 ns=3:vtpm", "missing blk=");
	refuse("blk=1 ns=3:vtpm", "missing key=SLOT or dev-key");
	refuse("blk=1 key=2", "missing ns=");
	refuse("blk=1 key=2 ns=3:vtpm dev-key", "exclude each other");
}

static void duplicates(void **state)
{
	(void)state;
	refuse("blk=1 blk=2 key=3 ns=4:a", "given twice");
	refuse("blk=1 key=2 key=3 ns=4:a", "given twice");
	refuse("blk=1 dev-key dev-key ns=4:a", "dev-key given twice");
	refuse("blk=1 key=1 ns=4:a", "slot used twice");
	refuse("blk=1 key=2 ns=2:a", "slot used twice");
	refuse("blk=1 key=2 ns=3:a ns=3:b", "slot used twice");
	refuse("ns=3:a blk=3 key=2", "slot used twice");
	refuse("blk=1 key=2 ns=3:a ns=4:a", "namespace named twice");
	refuse("blk=1 key=2 ns=3:a ns=4:b ns=5:c ns=6:d ns=7:e ns=8:f ns=9:g ns=10:h ns=11:i",
	       "too many namespaces");
}

static void bad_slots(void **state)
{
	(void)state;
	static const char *const bad[] = {"blk=64",  "blk=-1", "blk=",   "blk=01", "blk=1x",
	                                  "blk=999", "blk=+1", "blk= 1", "blk=0x1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[80];
		snprintf(arg, sizeof(arg), "%s key=2 ns=3:a", bad[i]);
		assert_int_equal(parse(arg), -1);
	}
	refuse("blk=1 key=2 ns=64:a", "SLOT 0..63");
	refuse("blk=1 key=2 ns=:a", "SLOT 0..63");
	refuse("blk=1 key=2 ns=3", "SLOT:NAME");
	refuse("blk=1 key=x ns=3:a", "a slot is 0..63");
}

static void bad_names(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "", "abcdefghijklmnop", "Vtpm", "a/b", "a.b", "a_b", "..", "a:b", "\x01", "\xc3\xa9"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[80];
		snprintf(arg, sizeof(arg), "blk=1 key=2 ns=3:%s", bad[i]);
		if (parse(arg) != -1)
			fail_msg("namespace \"%s\" accepted", bad[i]);
		assert_non_null(strstr(err, "1..15 of [a-z0-9-]"));
	}
}

static void unknown_words(void **state)
{
	(void)state;
	refuse("blk=1 key=2 ns=3:a devkey", "unknown word");
	refuse("blk=1 key=2 ns=3:a DEV-KEY", "unknown word");
	refuse("blk=1 key=2 ns=3:a x", "unknown word");
	refuse("blk=1 key=2 ns=3:a blk", "unknown word");
	refuse(
	    "blk=1 key=2 ns=3:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "word too long");
}

/* A refused configuration leaves the caller's struct alone (nothing half-parsed). */
static void refused_leaves_config(void **state)
{
	(void)state;
	struct storaged_config c;
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(storaged_config_parse("blk=1 key=2 ns=3:a ns=3:b", &c, err, sizeof(err)),
	                 -1);
	for (size_t i = 0; i < sizeof(c); i++)
		assert_int_equal(((unsigned char *)&c)[i], 0x5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(boot_manifest_line), cmocka_unit_test(key_channel_and_two_namespaces),
	    cmocka_unit_test(missing_words),      cmocka_unit_test(duplicates),
	    cmocka_unit_test(bad_slots),          cmocka_unit_test(bad_names),
	    cmocka_unit_test(unknown_words),      cmocka_unit_test(refused_leaves_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
