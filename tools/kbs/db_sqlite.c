/* The broker's state in one SQLite file (docs/kbs-db.md). Several broker
 * processes may share the file: every write transaction starts with BEGIN
 * IMMEDIATE (the write lock is taken before anything is read, so a
 * read-check-write can never interleave with another process's), and a busy
 * database is waited for (busy_timeout) rather than failed. WAL journal. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"

#define SQ_BUSY_MS 30000

struct sq {
	sqlite3 *db;
	char err[256];
};

static const char *const sq_schema[] = {
	"CREATE TABLE IF NOT EXISTS kbs_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS kbs_vm (name TEXT PRIMARY KEY, measurements TEXT NOT NULL,"
	" policy INTEGER NOT NULL, state_key BLOB NOT NULL, boot INTEGER NOT NULL,"
	" acked_generation INTEGER NOT NULL, last_boot_time INTEGER NOT NULL,"
	" acked INTEGER NOT NULL)",
	"CREATE TABLE IF NOT EXISTS kbs_resource (repo TEXT NOT NULL, type TEXT NOT NULL,"
	" tag TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (repo, type, tag))",
	"CREATE TABLE IF NOT EXISTS kbs_session (cookie TEXT PRIMARY KEY, nonce TEXT NOT NULL UNIQUE,"
	" vm TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL,"
	" attested INTEGER NOT NULL DEFAULT 0, boot INTEGER NOT NULL DEFAULT 0,"
	" min_generation INTEGER NOT NULL DEFAULT 0, ack_key BLOB, tee_pubkey TEXT)",
	"CREATE INDEX IF NOT EXISTS kbs_session_expires ON kbs_session (expires)",
	"CREATE TABLE IF NOT EXISTS kbs_consumed (nonce TEXT PRIMARY KEY, vm TEXT NOT NULL,"
	" at INTEGER NOT NULL, boot INTEGER NOT NULL DEFAULT 0)",
};

static int sq_fail(struct sq *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "sqlite: %s: %s", what, sqlite3_errmsg(s->db));
	return KBS_DB_ERR;
}

static int sq_exec(struct sq *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sq_fail(s, sql);
	return KBS_DB_OK;
}

/* sql with ?1.. bound from the format: 't' text, 'i' int64, 'b' blob (two
 * arguments: pointer, size_t). NULL on failure (s->err says why). */
static sqlite3_stmt *sq_prep(struct sq *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sq_fail(s, "prepare");
		return NULL;
	}
	va_list ap;
	va_start(ap, fmt);
	int rc = SQLITE_OK;
	for (int i = 1; fmt[i - 1] != '\0' && rc == SQLITE_OK; i++) {
		if (fmt[i - 1] == 't') {
			rc = sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_STATIC);
		} else if (fmt[i - 1] == 'i') {
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
		} else {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = sqlite3_bind_blob(st, i, p != NULL ? p : "", (int)n, SQLITE_STATIC);
		}
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		sq_fail(s, "bind");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* Runs a statement that returns no row; KBS_DB_OK or KBS_DB_ERR. */
static int sq_done(struct sq *s, sqlite3_stmt *st)
{
	if (st == NULL)
		return KBS_DB_ERR;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? KBS_DB_OK : sq_fail(s, "step");
}

static int sq_schema_init(struct sq *s)
{
	if (sq_exec(s, "BEGIN IMMEDIATE") != KBS_DB_OK)
		return KBS_DB_ERR;
	for (size_t i = 0; i < sizeof sq_schema / sizeof sq_schema[0]; i++)
		if (sq_exec(s, sq_schema[i]) != KBS_DB_OK)
			goto fail;
	sqlite3_stmt *st = sq_prep(s, "SELECT v FROM kbs_meta WHERE k = 'schema_version'", "");
	if (st == NULL)
		goto fail;
	int version = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = atoi((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (version > KBS_DB_SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err, "sqlite: schema version %d is newer than this broker's %d",
			 version, KBS_DB_SCHEMA_VERSION);
		goto fail;
	}
	/* Version 1 is the first: later migrations go here, one step each. */
	if (sq_exec(s, "INSERT OR REPLACE INTO kbs_meta (k, v) VALUES ('schema_version', '1')") !=
	    KBS_DB_OK)
		goto fail;
	return sq_exec(s, "COMMIT");
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return KBS_DB_ERR;
}

static void *sq_open(const char *target, char *err, size_t errlen)
{
	struct sq *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	if (sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
						  SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "sqlite: open %s: %s", target,
				 s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, SQ_BUSY_MS);
	/* WAL: readers do not block the writer; synchronous=FULL: a committed
	 * boot counter survives a power cut (it must never go back). */
	if (sq_exec(s, "PRAGMA journal_mode=WAL") != KBS_DB_OK ||
	    sq_exec(s, "PRAGMA synchronous=FULL") != KBS_DB_OK || sq_schema_init(s) != KBS_DB_OK) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s", s->err);
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	return s;
}

static void sq_close(void *be)
{
	struct sq *s = be;
	sqlite3_close(s->db);
	free(s);
}

static const char *sq_errmsg(void *be)
{
	return ((struct sq *)be)->err;
}

static int sq_vm_row(struct sq *s, sqlite3_stmt *st, struct kbs_db_vm *vm)
{
	memset(vm, 0, sizeof *vm);
	const char *name = (const char *)sqlite3_column_text(st, 0);
	const char *meas = (const char *)sqlite3_column_text(st, 1);
	if (name == NULL || meas == NULL || kbs_db_copy_str(vm->name, sizeof vm->name, name) != 0 ||
	    kbs_db_meas_split(meas, vm) != 0 || sqlite3_column_bytes(st, 3) != KBS_DB_KEY_LEN) {
		snprintf(s->err, sizeof s->err, "sqlite: corrupt kbs_vm row");
		return KBS_DB_ERR;
	}
	vm->policy = (uint64_t)sqlite3_column_int64(st, 2);
	memcpy(vm->state_key, sqlite3_column_blob(st, 3), KBS_DB_KEY_LEN);
	vm->boot = (uint64_t)sqlite3_column_int64(st, 4);
	vm->acked_generation = (uint64_t)sqlite3_column_int64(st, 5);
	vm->last_boot_time = sqlite3_column_int64(st, 6);
	vm->acked = sqlite3_column_int64(st, 7) != 0;
	return KBS_DB_OK;
}

#define SQ_VM_COLS "name, measurements, policy, state_key, boot, acked_generation, last_boot_time, acked"

static int sq_vm_put(void *be, const struct kbs_db_vm *vm)
{
	struct sq *s = be;
	char meas[KBS_DB_MEAS_TEXT_MAX + 1];
	kbs_db_meas_join(vm, meas);
	/* Counters are written on insert only: an update never moves them. */
	return sq_done(s, sq_prep(s,
		"INSERT INTO kbs_vm (" SQ_VM_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (name) DO UPDATE SET measurements = excluded.measurements,"
		" policy = excluded.policy, state_key = excluded.state_key",
		"ttibiiii", vm->name, meas, (int64_t)vm->policy, vm->state_key, (size_t)KBS_DB_KEY_LEN,
		(int64_t)vm->boot, (int64_t)vm->acked_generation, vm->last_boot_time,
		(int64_t)(vm->acked || vm->boot == 0)));
}

static int sq_vm_get(void *be, const char *name, struct kbs_db_vm *out)
{
	struct sq *s = be;
	sqlite3_stmt *st = sq_prep(s, "SELECT " SQ_VM_COLS " FROM kbs_vm WHERE name = ?1", "t", name);
	if (st == NULL)
		return KBS_DB_ERR;
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? sq_vm_row(s, st, out)
		  : rc == SQLITE_DONE ? KBS_DB_NOT_FOUND : sq_fail(s, "vm_get");
	sqlite3_finalize(st);
	return ret;
}

static int sq_vm_delete(void *be, const char *name)
{
	struct sq *s = be;
	int rc = sq_done(s, sq_prep(s, "DELETE FROM kbs_vm WHERE name = ?1", "t", name));
	if (rc == KBS_DB_OK && sqlite3_changes(s->db) == 0)
		return KBS_DB_NOT_FOUND;
	return rc;
}

static int sq_vm_list(void *be, int (*fn)(const struct kbs_db_vm *vm, void *arg), void *arg)
{
	struct sq *s = be;
	sqlite3_stmt *st = sq_prep(s, "SELECT " SQ_VM_COLS " FROM kbs_vm ORDER BY name", "");
	if (st == NULL)
		return KBS_DB_ERR;
	int ret = KBS_DB_OK, rc;
	struct kbs_db_vm vm;
	while (ret == KBS_DB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = sq_vm_row(s, st, &vm);
		explicit_bzero(vm.state_key, sizeof vm.state_key);
		if (ret == KBS_DB_OK)
			ret = fn(&vm, arg);
	}
	if (ret == KBS_DB_OK && rc != SQLITE_DONE)
		ret = sq_fail(s, "vm_list");
	sqlite3_finalize(st);
	return ret;
}

static int sq_resource_put(void *be, const char *repo, const char *type, const char *tag,
			   const uint8_t *data, size_t len)
{
	struct sq *s = be;
	return sq_done(s, sq_prep(s, "INSERT OR REPLACE INTO kbs_resource (repo, type, tag, data)"
				     " VALUES (?1, ?2, ?3, ?4)",
				  "tttb", repo, type, tag, data, len));
}

static int sq_resource_get(void *be, const char *repo, const char *type, const char *tag,
			   uint8_t **data, size_t *len)
{
	struct sq *s = be;
	sqlite3_stmt *st = sq_prep(s, "SELECT data FROM kbs_resource WHERE repo = ?1 AND type = ?2"
				      " AND tag = ?3", "ttt", repo, type, tag);
	if (st == NULL)
		return KBS_DB_ERR;
	int rc = sqlite3_step(st), ret = KBS_DB_OK;
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		*data = malloc(n > 0 ? n : 1);
		if (*data == NULL) {
			ret = KBS_DB_ERR;
		} else {
			if (n > 0)
				memcpy(*data, sqlite3_column_blob(st, 0), n);
			*len = n;
		}
	} else {
		ret = rc == SQLITE_DONE ? KBS_DB_NOT_FOUND : sq_fail(s, "resource_get");
	}
	sqlite3_finalize(st);
	return ret;
}

static int sq_resource_delete(void *be, const char *repo, const char *type, const char *tag)
{
	struct sq *s = be;
	int rc = sq_done(s, sq_prep(s, "DELETE FROM kbs_resource WHERE repo = ?1 AND type = ?2"
				       " AND tag = ?3", "ttt", repo, type, tag));
	if (rc == KBS_DB_OK && sqlite3_changes(s->db) == 0)
		return KBS_DB_NOT_FOUND;
	return rc;
}

static int sq_session_insert(void *be, const struct kbs_db_session *ss)
{
	struct sq *s = be;
	/* A nonce ever consumed is never handed out again (the NOT EXISTS), and
	 * the UNIQUE columns refuse a clash: 0 rows -> the caller draws again. */
	sqlite3_stmt *st = sq_prep(s,
		"INSERT OR IGNORE INTO kbs_session (cookie, nonce, vm, created, expires)"
		" SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS"
		" (SELECT 1 FROM kbs_consumed WHERE nonce = ?2)",
		"tttii", ss->cookie, ss->nonce, ss->vm, ss->created, ss->expires);
	int rc = sq_done(s, st);
	if (rc == KBS_DB_OK && sqlite3_changes(s->db) == 0)
		return KBS_DB_INVALID;
	return rc;
}

static int sq_session_get(void *be, const char *cookie, struct kbs_db_session *out)
{
	struct sq *s = be;
	sqlite3_stmt *st = sq_prep(s, "SELECT cookie, nonce, vm, created, expires, attested, boot,"
				      " min_generation, ack_key, tee_pubkey FROM kbs_session"
				      " WHERE cookie = ?1", "t", cookie);
	if (st == NULL)
		return KBS_DB_ERR;
	int rc = sqlite3_step(st), ret = KBS_DB_OK;
	memset(out, 0, sizeof *out);
	if (rc != SQLITE_ROW) {
		ret = rc == SQLITE_DONE ? KBS_DB_NOT_FOUND : sq_fail(s, "session_get");
		goto done;
	}
	const char *c = (const char *)sqlite3_column_text(st, 0);
	const char *n = (const char *)sqlite3_column_text(st, 1);
	const char *v = (const char *)sqlite3_column_text(st, 2);
	const char *tk = (const char *)sqlite3_column_text(st, 9);
	out->attested = sqlite3_column_int64(st, 5) != 0;
	if (c == NULL || n == NULL || v == NULL || kbs_db_copy_str(out->cookie, sizeof out->cookie, c) ||
	    kbs_db_copy_str(out->nonce, sizeof out->nonce, n) ||
	    kbs_db_copy_str(out->vm, sizeof out->vm, v) ||
	    (tk != NULL && kbs_db_copy_str(out->tee_pubkey, sizeof out->tee_pubkey, tk)) ||
	    (out->attested && sqlite3_column_bytes(st, 8) != KBS_DB_KEY_LEN)) {
		snprintf(s->err, sizeof s->err, "sqlite: corrupt kbs_session row");
		ret = KBS_DB_ERR;
		goto done;
	}
	out->created = sqlite3_column_int64(st, 3);
	out->expires = sqlite3_column_int64(st, 4);
	out->boot = (uint64_t)sqlite3_column_int64(st, 6);
	out->min_generation = (uint64_t)sqlite3_column_int64(st, 7);
	if (out->attested)
		memcpy(out->ack_key, sqlite3_column_blob(st, 8), KBS_DB_KEY_LEN);
done:
	sqlite3_finalize(st);
	return ret;
}

static int sq_session_purge(void *be, int64_t now)
{
	struct sq *s = be;
	return sq_done(s, sq_prep(s, "DELETE FROM kbs_session WHERE expires < ?1", "i", now));
}

/* Inside a transaction: consumes the session's challenge. Fills *vm and
 * *expires. KBS_DB_OK, or NOT_FOUND / CHALLENGE_USED / ERR. */
static int sq_consume(struct sq *s, const char *cookie, char vm[KBS_DB_NAME_MAX + 1],
		      int64_t *expires)
{
	sqlite3_stmt *st = sq_prep(s, "SELECT vm, expires FROM kbs_session WHERE cookie = ?1", "t",
				   cookie);
	if (st == NULL)
		return KBS_DB_ERR;
	int rc = sqlite3_step(st), ret = KBS_DB_OK;
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (v == NULL || kbs_db_copy_str(vm, KBS_DB_NAME_MAX + 1, v) != 0)
			ret = sq_fail(s, "corrupt session");
		*expires = sqlite3_column_int64(st, 1);
	} else {
		ret = rc == SQLITE_DONE ? KBS_DB_NOT_FOUND : sq_fail(s, "consume");
	}
	sqlite3_finalize(st);
	if (ret != KBS_DB_OK)
		return ret;
	ret = sq_done(s, sq_prep(s, "INSERT OR IGNORE INTO kbs_consumed (nonce, vm, at)"
				    " SELECT nonce, vm, strftime('%s','now') FROM kbs_session"
				    " WHERE cookie = ?1", "t", cookie));
	if (ret == KBS_DB_OK && sqlite3_changes(s->db) == 0)
		return KBS_DB_CHALLENGE_USED;
	return ret;
}

/* Ends the transaction: COMMIT when keep, else ROLLBACK; returns rc, or
 * KBS_DB_ERR if the commit failed (then nothing happened). */
static int sq_end(struct sq *s, bool keep, int rc)
{
	if (keep) {
		if (sq_exec(s, "COMMIT") != KBS_DB_OK) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return KBS_DB_ERR;
		}
		return rc;
	}
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sq_attest_commit(void *be, const char *cookie, const char *vm, int64_t now,
			    int64_t boot_window, const char *tee_pubkey,
			    const uint8_t ack_key[KBS_DB_KEY_LEN], struct kbs_db_attest_out *out)
{
	struct sq *s = be;
	char svm[KBS_DB_NAME_MAX + 1];
	int64_t expires = 0;
	struct kbs_db_vm row;
	if (sq_exec(s, "BEGIN IMMEDIATE") != KBS_DB_OK)
		return KBS_DB_ERR;
	int rc = sq_consume(s, cookie, svm, &expires);
	if (rc != KBS_DB_OK)
		return sq_end(s, false, rc);
	if (strcmp(svm, vm) != 0)
		return sq_end(s, false, KBS_DB_MISMATCH);
	if (now > expires)
		return sq_end(s, true, KBS_DB_EXPIRED);
	rc = sq_vm_get(s, vm, &row);
	if (rc != KBS_DB_OK)
		return sq_end(s, rc == KBS_DB_NOT_FOUND, rc);
	if (!row.acked && row.boot > 0 && now - row.last_boot_time < boot_window) {
		explicit_bzero(&row, sizeof row);
		return sq_end(s, true, KBS_DB_BOOT_PENDING);
	}
	out->boot = row.boot + 1;
	out->min_generation = row.acked_generation;
	memcpy(out->state_key, row.state_key, KBS_DB_KEY_LEN);
	explicit_bzero(&row, sizeof row);
	rc = sq_done(s, sq_prep(s, "UPDATE kbs_vm SET boot = ?1, acked = 0, last_boot_time = ?2"
				   " WHERE name = ?3", "iit", (int64_t)out->boot, now, vm));
	if (rc == KBS_DB_OK)
		rc = sq_done(s, sq_prep(s, "UPDATE kbs_consumed SET boot = ?1 WHERE nonce ="
					   " (SELECT nonce FROM kbs_session WHERE cookie = ?2)",
					"it", (int64_t)out->boot, cookie));
	if (rc == KBS_DB_OK)
		rc = sq_done(s, sq_prep(s, "UPDATE kbs_session SET attested = 1, boot = ?1,"
					   " min_generation = ?2, ack_key = ?3, tee_pubkey = ?4"
					   " WHERE cookie = ?5", "iibtt", (int64_t)out->boot,
					(int64_t)out->min_generation, ack_key, (size_t)KBS_DB_KEY_LEN,
					tee_pubkey, cookie));
	if (rc != KBS_DB_OK) {
		explicit_bzero(out, sizeof *out);
		return sq_end(s, false, rc);
	}
	rc = sq_end(s, true, KBS_DB_OK);
	if (rc != KBS_DB_OK)
		explicit_bzero(out, sizeof *out);
	return rc;
}

static int sq_challenge_burn(void *be, const char *cookie)
{
	struct sq *s = be;
	char vm[KBS_DB_NAME_MAX + 1];
	int64_t expires;
	if (sq_exec(s, "BEGIN IMMEDIATE") != KBS_DB_OK)
		return KBS_DB_ERR;
	int rc = sq_consume(s, cookie, vm, &expires);
	return sq_end(s, rc == KBS_DB_OK, rc);
}

static int sq_ack(void *be, const char *vm, uint64_t boot, uint64_t generation)
{
	struct sq *s = be;
	/* One statement: atomic, and max() keeps the generation from going back. */
	int rc = sq_done(s, sq_prep(s, "UPDATE kbs_vm SET acked_generation = max(acked_generation, ?1),"
				       " acked = 1 WHERE name = ?2 AND boot = ?3",
				    "iti", (int64_t)generation, vm, (int64_t)boot));
	if (rc != KBS_DB_OK)
		return rc;
	return sqlite3_changes(s->db) > 0 ? KBS_DB_OK : KBS_DB_BACKEND_NO_ROW;
}

const struct kbs_db_ops kbs_db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.errmsg = sq_errmsg,
	.vm_put = sq_vm_put,
	.vm_get = sq_vm_get,
	.vm_delete = sq_vm_delete,
	.vm_list = sq_vm_list,
	.resource_put = sq_resource_put,
	.resource_get = sq_resource_get,
	.resource_delete = sq_resource_delete,
	.session_insert = sq_session_insert,
	.session_get = sq_session_get,
	.session_purge = sq_session_purge,
	.attest_commit = sq_attest_commit,
	.challenge_burn = sq_challenge_burn,
	.ack = sq_ack,
};
