/*
 * apps/vtpm/state_stage.c over a fake backend: stores and removes are
 * visible to loads at once but reach the backend only at commit, all of
 * them in one call; a failed commit drops what was staged and the backend
 * keeps its old contents; names are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../apps/vtpm/state.h"
#include "../../../apps/vtpm/state_backend.h"

/* The fake disk: one blob "permall" and a commit counter. */
static char disk[64];
static int disk_has, backend_commits, backend_changes, fail_commit;

int vtpm_backend_get(const char *name, uint8_t **data, size_t *len)
{
	if (strcmp(name, "permall") != 0 || !disk_has)
		return VTPM_STATE_ABSENT;
	*len = strlen(disk);
	*data = malloc(*len + 1);
	memcpy(*data, disk, *len);
	return VTPM_STATE_OK;
}

int vtpm_backend_commit(const struct vtpm_staged *changes, size_t n)
{
	if (fail_commit)
		return VTPM_STATE_IOERR;
	backend_commits++;
	backend_changes += (int)n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(changes[i].name, "permall") != 0)
			continue;
		disk_has = changes[i].data != NULL;
		if (disk_has) {
			memcpy(disk, changes[i].data, changes[i].len);
			disk[changes[i].len] = 0;
		}
	}
	return VTPM_STATE_OK;
}

static int reset(void **s)
{
	(void)s;
	vtpm_state_abort();
	disk_has = backend_commits = backend_changes = fail_commit = 0;
	return 0;
}

/* The blob as a string, or NULL when absent. */
static char *load(const char *name)
{
	uint8_t *d = NULL;
	size_t n = 0;
	if (vtpm_state_load(name, &d, &n) != VTPM_STATE_OK)
		return NULL;
	char *s = malloc(n + 1);
	memcpy(s, d, n);
	s[n] = 0;
	free(d);
	return s;
}

static void staged_visible_then_one_commit(void **s)
{
	(void)s;
	assert_null(load("permall"));
	assert_false(vtpm_state_pending());
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"one", 3), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"two", 3), VTPM_STATE_OK);
	assert_int_equal(vtpm_state_store("provisioned", (const uint8_t *)"1", 1), VTPM_STATE_OK);
	assert_true(vtpm_state_pending());
	char *v = load("permall");
	assert_string_equal(v, "two");
	free(v);
	assert_int_equal(backend_commits, 0); /* nothing reached the disk yet */
	assert_int_equal(vtpm_state_commit(), VTPM_STATE_OK);
	assert_int_equal(backend_commits, 1);
	assert_int_equal(backend_changes, 2); /* two stores of permall became one put */
	assert_string_equal(disk, "two");
	assert_false(vtpm_state_pending());
	assert_int_equal(vtpm_state_commit(), VTPM_STATE_OK); /* nothing staged: no commit */
	assert_int_equal(backend_commits, 1);
}

static void remove_is_staged(void **s)
{
	(void)s;
	strcpy(disk, "old");
	disk_has = 1;
	assert_int_equal(vtpm_state_remove("permall"), VTPM_STATE_OK);
	assert_null(load("permall"));
	assert_true(disk_has);
	assert_int_equal(vtpm_state_commit(), VTPM_STATE_OK);
	assert_false(disk_has);
}

static void failed_commit_drops_and_keeps_old(void **s)
{
	(void)s;
	strcpy(disk, "old");
	disk_has = 1;
	unsigned long before = vtpm_state_commits();
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"new", 3), VTPM_STATE_OK);
	fail_commit = 1;
	assert_int_equal(vtpm_state_commit(), VTPM_STATE_IOERR);
	assert_false(vtpm_state_pending());
	assert_int_equal(vtpm_state_commits(), before);
	char *v = load("permall");
	assert_string_equal(v, "old");
	free(v);
}

static void abort_drops(void **s)
{
	(void)s;
	assert_int_equal(vtpm_state_store("permall", (const uint8_t *)"x", 1), VTPM_STATE_OK);
	vtpm_state_abort();
	assert_false(vtpm_state_pending());
	assert_null(load("permall"));
}

static void names(void **s)
{
	(void)s;
	static const char *const bad[] = {"",      ".hidden", "a/b",
	                                  "UPPER", "x y",     "123456789012345678901234567890123"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(vtpm_state_name_ok(bad[i]));
		assert_int_equal(vtpm_state_store(bad[i], (const uint8_t *)"x", 1),
		                 VTPM_STATE_IOERR);
	}
	assert_true(vtpm_state_name_ok("ekca.key"));
	assert_true(vtpm_state_name_ok("ek-rsa.der"));
	assert_false(vtpm_state_pending());
}

static void many_names_bounded(void **s)
{
	(void)s;
	char name[16];
	int refused = 0;
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "b%d", i);
		refused += vtpm_state_store(name, (const uint8_t *)"x", 1) != VTPM_STATE_OK;
	}
	assert_true(refused > 0);
	vtpm_state_abort();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(staged_visible_then_one_commit, reset),
	    cmocka_unit_test_setup(remove_is_staged, reset),
	    cmocka_unit_test_setup(failed_commit_drops_and_keeps_old, reset),
	    cmocka_unit_test_setup(abort_drops, reset),
	    cmocka_unit_test_setup(names, reset),
	    cmocka_unit_test_setup(many_names_bounded, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
