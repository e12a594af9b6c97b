/*
 * apps/vtpm/state_file.c: stores replace the file atomically (no temp
 * left, old contents kept when a store fails); corrupt, truncated or
 * foreign files are rejected with a clear status and left untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../../apps/vtpm/state.h"
#include "../../../apps/vtpm/state_file.h"

static char dir[256], path[512];

static int setup(void **s)
{
	(void)s;
	strcpy(dir, "/tmp/keel-vtpm-state-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	setenv("KEEL_STATE_DIR", dir, 1);
	snprintf(path, sizeof(path), "%s/vtpm-permall.state", dir);
	return 0;
}

static int teardown(void **s)
{
	char cmd[300];
	(void)s;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static size_t file_bytes(uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap, f) : 0;
	if (f)
		fclose(f);
	return n;
}

static void write_bytes(const uint8_t *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, n, f), n);
	fclose(f);
}

static void round_trip(void **s)
{
	uint8_t *d = NULL;
	size_t n = 0;
	struct stat st;
	(void)s;
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_ABSENT);
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"hello", 5), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_OK);
	assert_int_equal(n, 5);
	assert_memory_equal(d, "hello", 5);
	free(d);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, VTPM_STATE_HEADER + 5);
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_not_equal(access(tmp, F_OK), 0); /* no temporary left behind */
	/* replace, then empty blob */
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"second", 6), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_OK);
	assert_memory_equal(d, "second", 6);
	free(d);
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"", 0), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_OK);
	assert_int_equal(n, 0);
	free(d);
	assert_int_equal(vtpm_state_remove("permall"), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_remove("permall"), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_ABSENT);
}

/* Every kind of damage is CORRUPT, and the file stays exactly as it was. */
static void expect_rejected(const uint8_t *img, size_t n)
{
	static uint8_t after[8192];
	uint8_t *d = NULL;
	size_t len = 0;
	write_bytes(img, n);
	assert_int_equal(vtpm_state_load("permall", &d, &len), VTPM_STATE_CORRUPT);
	assert_null(d);
	assert_int_equal(file_bytes(after, sizeof(after)), n);
	assert_memory_equal(after, img, n);
}

static void damage_rejected(void **s)
{
	static uint8_t good[4096], img[4096];
	uint8_t payload[1000];
	(void)s;
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	assert_int_equal(vtpm_state_store("permall", payload, sizeof(payload)), VTPM_STATE_OK);
	size_t n = file_bytes(good, sizeof(good));
	assert_int_equal(n, VTPM_STATE_HEADER + sizeof(payload));
	/* truncated at every header byte and inside the payload */
	for (size_t cut = 0; cut < n; cut += (cut < VTPM_STATE_HEADER ? 1 : 97))
		expect_rejected(good, cut);
	/* one flipped bit anywhere: magic, version, length, digest, payload */
	static const size_t at[] = {0, 7, 8, 12, 16, 23, 24, 55, 56, 500, 1055};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		memcpy(img, good, n);
		img[at[i]] ^= 0x10;
		expect_rejected(img, n);
	}
	/* extra bytes appended */
	memcpy(img, good, n);
	img[n] = 0;
	expect_rejected(img, n + 1);
}

static void failed_store_keeps_old(void **s)
{
	uint8_t *d = NULL;
	size_t n = 0;
	char tmp[600];
	(void)s;
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"old", 3), VTPM_STATE_OK);
	/* a directory where the temporary file would go makes the store fail */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"new", 3), VTPM_STATE_IOERR);
	assert_int_equal(vtpm_state_load("permall", &d, &n), VTPM_STATE_OK);
	assert_memory_equal(d, "old", 3);
	free(d);
	rmdir(tmp);
}

static void bad_names(void **s)
{
	uint8_t *d = NULL;
	size_t n = 0;
	(void)s;
	static const char *const bad[] = {"", "../x", "a/b", "UPPER", "x.state",
					  "0123456789012345678901234567890123"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(vtpm_state_name_ok(bad[i]), 0);
		assert_int_equal(vtpm_state_store(bad[i], (const uint8_t *)"x", 1), VTPM_STATE_IOERR);
		assert_int_equal(vtpm_state_load(bad[i], &d, &n), VTPM_STATE_IOERR);
	}
	assert_int_equal(vtpm_state_name_ok(NULL), 0);
	assert_int_equal(vtpm_state_name_ok("volatilestate"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(damage_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_store_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
