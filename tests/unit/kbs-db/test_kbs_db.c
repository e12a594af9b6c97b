/* The key broker's DB layer (tools/kbs/db.h) against SQLite (a temporary
 * file) and a real PostgreSQL (a throwaway cluster, pg-cluster.sh): the same
 * tests, one cmocka group per backend. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "db.h"

static char g_url[512];
static char g_dir[256];

static struct kbs_db *open_db(void)
{
	char err[256] = "";
	struct kbs_db *db = kbs_db_open(g_url, err, sizeof err);
	if (db == NULL)
		fail_msg("open %s: %s", g_url, err);
	return db;
}

static void make_vm(struct kbs_db_vm *vm, const char *name, char fill)
{
	memset(vm, 0, sizeof *vm);
	snprintf(vm->name, sizeof vm->name, "%s", name);
	vm->n_meas = 2;
	memset(vm->meas[0], 'a', KBS_DB_MEAS_HEX);
	memset(vm->meas[1], "0123456789abcdef"[fill % 16], KBS_DB_MEAS_HEX);
	vm->policy = 0x8000000000000005ull;
	memset(vm->state_key, fill, sizeof vm->state_key);
	vm->acked = true;
}

/* Registers name and returns a fresh session's cookie in cookie. */
static void session(struct kbs_db *db, const char *vm, int64_t now, struct kbs_db_session *s)
{
	assert_int_equal(kbs_db_session_create(db, vm, now, 300, s), KBS_DB_OK);
}

static const uint8_t ack_key[KBS_DB_KEY_LEN] = { 1, 2, 3 };

static void test_vm_roundtrip(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm, got;
	make_vm(&vm, "vm-roundtrip", 'b');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);
	assert_int_equal(kbs_db_vm_get(db, "vm-roundtrip", &got), KBS_DB_OK);
	assert_memory_equal(&vm, &got, sizeof vm);
	/* An update changes measurements, policy and key, never the counters. */
	make_vm(&vm, "vm-roundtrip", 'c');
	vm.n_meas = 1;
	vm.boot = 77;
	vm.acked_generation = 9;
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);
	assert_int_equal(kbs_db_vm_get(db, "vm-roundtrip", &got), KBS_DB_OK);
	assert_int_equal(got.n_meas, 1);
	assert_int_equal(got.state_key[0], 'c');
	assert_int_equal(got.boot, 0);
	assert_int_equal(got.acked_generation, 0);
	assert_true(got.acked);
	assert_int_equal(kbs_db_vm_get(db, "vm-none", &got), KBS_DB_NOT_FOUND);
	assert_int_equal(kbs_db_vm_delete(db, "vm-roundtrip"), KBS_DB_OK);
	assert_int_equal(kbs_db_vm_delete(db, "vm-roundtrip"), KBS_DB_NOT_FOUND);
	kbs_db_close(db);
}

static void test_vm_invalid(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm;
	make_vm(&vm, "vm-bad", 'b');
	vm.meas[1][5] = 'G';
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_INVALID);
	make_vm(&vm, "vm/slash", 'b');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_INVALID);
	make_vm(&vm, "", 'b');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_INVALID);
	make_vm(&vm, "vm-bad", 'b');
	vm.n_meas = KBS_DB_MEAS_MAX + 1;
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_INVALID);
	char longname[KBS_DB_NAME_MAX + 2];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	struct kbs_db_vm got;
	assert_int_equal(kbs_db_vm_get(db, longname, &got), KBS_DB_INVALID);
	assert_int_equal(kbs_db_ack(db, "vm-bad", 0, 1), KBS_DB_INVALID);
	assert_int_equal(kbs_db_ack(db, "vm-bad", 1, UINT64_MAX), KBS_DB_INVALID);
	kbs_db_close(db);
}

static int count_vms(const struct kbs_db_vm *vm, void *arg)
{
	for (size_t i = 0; i < KBS_DB_KEY_LEN; i++)
		assert_int_equal(vm->state_key[i], 0); /* a listing never shows keys */
	if (strncmp(vm->name, "list-", 5) == 0)
		(*(int *)arg)++;
	return 0;
}

static void test_vm_list(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm;
	for (int i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof name, "list-%d", i);
		make_vm(&vm, name, 'd');
		assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);
	}
	int n = 0;
	assert_int_equal(kbs_db_vm_list(db, count_vms, &n), KBS_DB_OK);
	assert_int_equal(n, 3);
	kbs_db_close(db);
}

static void test_resources(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	uint8_t data[300], *got = NULL;
	size_t len = 0;
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	assert_int_equal(kbs_db_resource_put(db, "keel", "blob", "t1", data, sizeof data), KBS_DB_OK);
	assert_int_equal(kbs_db_resource_get(db, "keel", "blob", "t1", &got, &len), KBS_DB_OK);
	assert_int_equal(len, sizeof data);
	assert_memory_equal(got, data, sizeof data);
	free(got);
	assert_int_equal(kbs_db_resource_put(db, "keel", "blob", "t1", data, 0), KBS_DB_OK);
	assert_int_equal(kbs_db_resource_get(db, "keel", "blob", "t1", &got, &len), KBS_DB_OK);
	assert_int_equal(len, 0);
	free(got);
	assert_int_equal(kbs_db_resource_get(db, "keel", "blob", "t2", &got, &len), KBS_DB_NOT_FOUND);
	assert_int_equal(kbs_db_resource_delete(db, "keel", "blob", "t1"), KBS_DB_OK);
	assert_int_equal(kbs_db_resource_delete(db, "keel", "blob", "t1"), KBS_DB_NOT_FOUND);
	assert_int_equal(kbs_db_resource_put(db, "keel", "../x", "t1", data, 1), KBS_DB_INVALID);
	assert_int_equal(kbs_db_resource_put(db, "keel", "b", "t1", data, KBS_DB_RESOURCE_MAX + 1),
			 KBS_DB_INVALID);
	kbs_db_close(db);
}

static void test_sessions(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_session s[50], got;
	for (int i = 0; i < 50; i++) {
		session(db, "sess-vm", 1000, &s[i]);
		assert_int_equal(strlen(s[i].cookie), KBS_DB_COOKIE_LEN);
		assert_int_equal(strlen(s[i].nonce), KBS_DB_NONCE_LEN);
		assert_int_equal(s[i].nonce[KBS_DB_NONCE_LEN - 1], '=');
		for (int j = 0; j < i; j++) {
			assert_string_not_equal(s[i].cookie, s[j].cookie);
			assert_string_not_equal(s[i].nonce, s[j].nonce);
		}
	}
	assert_int_equal(kbs_db_session_get(db, s[7].cookie, &got), KBS_DB_OK);
	assert_string_equal(got.nonce, s[7].nonce);
	assert_string_equal(got.vm, "sess-vm");
	assert_int_equal(got.expires, 1300);
	assert_false(got.attested);
	assert_int_equal(kbs_db_session_get(db, "00000000-0000-4000-8000-000000000000", &got),
			 KBS_DB_NOT_FOUND);
	assert_int_equal(kbs_db_session_get(db, "short", &got), KBS_DB_INVALID);
	/* purge: expired sessions go */
	assert_int_equal(kbs_db_session_purge(db, 1301), KBS_DB_OK);
	assert_int_equal(kbs_db_session_get(db, s[7].cookie, &got), KBS_DB_NOT_FOUND);
	kbs_db_close(db);
}

/* The whole boot cycle: attest, replay, clone race, window, acks. */
static void test_attest_cycle(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm, got;
	struct kbs_db_session s1, s2, s3, s4, sg;
	struct kbs_db_attest_out out;
	make_vm(&vm, "cycle", 'k');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);

	session(db, "cycle", 1000, &s1);
	assert_int_equal(kbs_db_attest_commit(db, s1.cookie, "cycle", 1001, 60, "{\"kty\":\"EC\"}",
					      ack_key, &out), KBS_DB_OK);
	assert_int_equal(out.boot, 1);
	assert_int_equal(out.min_generation, 0);
	assert_memory_equal(out.state_key, vm.state_key, KBS_DB_KEY_LEN);
	assert_int_equal(kbs_db_session_get(db, s1.cookie, &sg), KBS_DB_OK);
	assert_true(sg.attested);
	assert_int_equal(sg.boot, 1);
	assert_memory_equal(sg.ack_key, ack_key, KBS_DB_KEY_LEN);
	assert_string_equal(sg.tee_pubkey, "{\"kty\":\"EC\"}");

	/* The same challenge never answers twice. */
	assert_int_equal(kbs_db_attest_commit(db, s1.cookie, "cycle", 1002, 60, "{}", ack_key, &out),
			 KBS_DB_CHALLENGE_USED);
	/* Boot 1 unacknowledged, 10 s old: a clone's attestation is refused... */
	session(db, "cycle", 1010, &s2);
	assert_int_equal(kbs_db_attest_commit(db, s2.cookie, "cycle", 1011, 60, "{}", ack_key, &out),
			 KBS_DB_BOOT_PENDING);
	/* ...and its challenge is spent all the same. */
	assert_int_equal(kbs_db_attest_commit(db, s2.cookie, "cycle", 1200, 60, "{}", ack_key, &out),
			 KBS_DB_CHALLENGE_USED);
	/* After the window, a new boot (the previous one never acked). */
	session(db, "cycle", 1100, &s3);
	assert_int_equal(kbs_db_attest_commit(db, s3.cookie, "cycle", 1100, 60, "{}", ack_key, &out),
			 KBS_DB_OK);
	assert_int_equal(out.boot, 2);
	/* Acks: only the current boot, generation never back. */
	assert_int_equal(kbs_db_ack(db, "cycle", 1, 50), KBS_DB_STALE_BOOT);
	assert_int_equal(kbs_db_ack(db, "cycle", 2, 5), KBS_DB_OK);
	assert_int_equal(kbs_db_ack(db, "cycle", 2, 3), KBS_DB_OK);
	assert_int_equal(kbs_db_vm_get(db, "cycle", &got), KBS_DB_OK);
	assert_int_equal(got.acked_generation, 5);
	assert_true(got.acked);
	assert_int_equal(got.boot, 2);
	assert_int_equal(kbs_db_ack(db, "nosuch", 2, 3), KBS_DB_NOT_FOUND);
	/* Acked: the next boot at once, with min-generation 5. */
	session(db, "cycle", 1101, &s4);
	assert_int_equal(kbs_db_attest_commit(db, s4.cookie, "cycle", 1101, 60, "{}", ack_key, &out),
			 KBS_DB_OK);
	assert_int_equal(out.boot, 3);
	assert_int_equal(out.min_generation, 5);
	kbs_db_close(db);
}

static void test_attest_refusals(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm;
	struct kbs_db_session s;
	struct kbs_db_attest_out out;
	make_vm(&vm, "refuse", 'r');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);
	/* Expired: refused, and spent. */
	session(db, "refuse", 1000, &s);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "refuse", 1301, 60, "{}", ack_key, &out),
			 KBS_DB_EXPIRED);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "refuse", 1001, 60, "{}", ack_key, &out),
			 KBS_DB_CHALLENGE_USED);
	/* Another VM's session: refused, nothing done. */
	session(db, "refuse", 1000, &s);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "cycle", 1001, 60, "{}", ack_key, &out),
			 KBS_DB_MISMATCH);
	/* Burned (the evidence failed): never answerable. */
	assert_int_equal(kbs_db_challenge_burn(db, s.cookie), KBS_DB_OK);
	assert_int_equal(kbs_db_challenge_burn(db, s.cookie), KBS_DB_CHALLENGE_USED);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "refuse", 1001, 60, "{}", ack_key, &out),
			 KBS_DB_CHALLENGE_USED);
	/* Unregistered VM. */
	session(db, "unregistered", 1000, &s);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "unregistered", 1001, 60, "{}", ack_key,
					      &out), KBS_DB_NOT_FOUND);
	/* A purged session's consumed challenge: the session is gone. */
	assert_int_equal(kbs_db_session_purge(db, 2000), KBS_DB_OK);
	assert_int_equal(kbs_db_attest_commit(db, s.cookie, "unregistered", 1001, 60, "{}", ack_key,
					      &out), KBS_DB_NOT_FOUND);
	kbs_db_close(db);
}

/* Two handles (two broker processes' connections) on one database. */
static void test_two_handles(void **st)
{
	(void)st;
	struct kbs_db *a = open_db(), *b = open_db();
	struct kbs_db_vm vm;
	struct kbs_db_session s;
	struct kbs_db_attest_out out;
	make_vm(&vm, "two", 't');
	assert_int_equal(kbs_db_vm_put(a, &vm), KBS_DB_OK);
	session(a, "two", 1000, &s);
	assert_int_equal(kbs_db_attest_commit(b, s.cookie, "two", 1001, 60, "{}", ack_key, &out),
			 KBS_DB_OK);
	assert_int_equal(kbs_db_attest_commit(a, s.cookie, "two", 1001, 60, "{}", ack_key, &out),
			 KBS_DB_CHALLENGE_USED);
	kbs_db_close(a);
	kbs_db_close(b);
}

/* Sets kbs_meta's schema_version behind the layer's back (SQL on the raw
 * database, as an operator or a newer broker would). */
static void set_schema_version(const char *v)
{
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE kbs_meta SET v = '%s' WHERE k = 'schema_version'", v);
	if (strncmp(g_url, "sqlite:", 7) == 0) {
		sqlite3 *raw = NULL;
		assert_int_equal(sqlite3_open(g_url + 7, &raw), SQLITE_OK);
		assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(raw);
	} else {
		PGconn *c = PQconnectdb(g_url);
		assert_int_equal(PQstatus(c), CONNECTION_OK);
		PGresult *r = PQexec(c, sql);
		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
		PQfinish(c);
	}
}

/* A database written by a newer broker is refused, not half-used; reopening
 * an existing database of this version keeps its data. */
static void test_schema_version(void **st)
{
	(void)st;
	struct kbs_db *db = open_db();
	struct kbs_db_vm vm, got;
	make_vm(&vm, "schema", 's');
	assert_int_equal(kbs_db_vm_put(db, &vm), KBS_DB_OK);
	kbs_db_close(db);
	set_schema_version("99");
	char err[256] = "";
	assert_null(kbs_db_open(g_url, err, sizeof err));
	assert_non_null(strstr(err, "schema version 99 is newer"));
	set_schema_version("1");
	db = open_db();
	assert_int_equal(kbs_db_vm_get(db, "schema", &got), KBS_DB_OK);
	assert_memory_equal(&vm, &got, sizeof vm);
	kbs_db_close(db);
}

static void test_bad_url(void **st)
{
	(void)st;
	char err[256] = "";
	assert_null(kbs_db_open("", err, sizeof err));
	assert_null(kbs_db_open("sqlite:/nonexistent-dir/x/y.db", err, sizeof err));
	assert_non_null(strstr(err, "sqlite"));
	assert_null(kbs_db_open("postgresql://kbs@/postgres?host=/nonexistent-sock", err, sizeof err));
	assert_non_null(strstr(err, "postgresql"));
}

static int setup_sqlite(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof g_dir, "/tmp/kbs-db-test.XXXXXX");
	if (mkdtemp(g_dir) == NULL)
		return -1;
	snprintf(g_url, sizeof g_url, "sqlite:%s/kbs.db", g_dir);
	return 0;
}

static int teardown_dir(void **st)
{
	(void)st;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int setup_pg(void **st)
{
	(void)st;
	snprintf(g_dir, sizeof g_dir, "/tmp/kbs-db-pg.XXXXXX");
	if (mkdtemp(g_dir) == NULL)
		return -1;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "sh '%s' start '%s'", KBS_PG_CLUSTER, g_dir);
	FILE *p = popen(cmd, "r");
	if (p == NULL || fgets(g_url, sizeof g_url, p) == NULL) {
		if (p != NULL)
			pclose(p);
		return -1;
	}
	g_url[strcspn(g_url, "\n")] = '\0';
	return pclose(p) == 0 ? 0 : -1;
}

static int teardown_pg(void **st)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "sh '%s' stop '%s'", KBS_PG_CLUSTER, g_dir);
	int rc = system(cmd);
	return teardown_dir(st) == 0 && rc == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_roundtrip),   cmocka_unit_test(test_vm_invalid),
		cmocka_unit_test(test_vm_list),        cmocka_unit_test(test_resources),
		cmocka_unit_test(test_sessions),       cmocka_unit_test(test_attest_cycle),
		cmocka_unit_test(test_attest_refusals), cmocka_unit_test(test_two_handles),
		cmocka_unit_test(test_bad_url),        cmocka_unit_test(test_schema_version),
	};
	int rc = cmocka_run_group_tests_name("kbs-db-sqlite", tests, setup_sqlite, teardown_dir);
	rc += cmocka_run_group_tests_name("kbs-db-postgresql", tests, setup_pg, teardown_pg);
	return rc;
}
