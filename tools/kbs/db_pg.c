/* The broker's state in PostgreSQL (docs/kbs-db.md), shared by any number of
 * broker processes. The attestation transaction locks the session row, then
 * the VM row (SELECT ... FOR UPDATE, always in that order), and consumes the
 * challenge by inserting its nonce into kbs_consumed, whose primary key makes
 * a second answer impossible whatever the interleaving; a serialization
 * failure or deadlock (SQLSTATE 40001/40P01) reruns the whole transaction. */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/hex.h>

#include "db_backend.h"

#define PG_MAX_PARAMS 8
#define PG_RETRIES 20
#define PG_RETRY (-100) /* internal: rerun the transaction */

struct pg {
	PGconn *conn;
	char err[256];
};

static const char *const pg_schema[] = {
	"CREATE TABLE IF NOT EXISTS kbs_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS kbs_vm (name TEXT PRIMARY KEY, measurements TEXT NOT NULL,"
	" policy BIGINT NOT NULL, state_key BYTEA NOT NULL, boot BIGINT NOT NULL,"
	" acked_generation BIGINT NOT NULL, last_boot_time BIGINT NOT NULL,"
	" acked INTEGER NOT NULL)",
	"CREATE TABLE IF NOT EXISTS kbs_resource (repo TEXT NOT NULL, type TEXT NOT NULL,"
	" tag TEXT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (repo, type, tag))",
	"CREATE TABLE IF NOT EXISTS kbs_session (cookie TEXT PRIMARY KEY, nonce TEXT NOT NULL UNIQUE,"
	" vm TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL,"
	" attested INTEGER NOT NULL DEFAULT 0, boot BIGINT NOT NULL DEFAULT 0,"
	" min_generation BIGINT NOT NULL DEFAULT 0, ack_key BYTEA, tee_pubkey TEXT)",
	"CREATE INDEX IF NOT EXISTS kbs_session_expires ON kbs_session (expires)",
	"CREATE TABLE IF NOT EXISTS kbs_consumed (nonce TEXT PRIMARY KEY, vm TEXT NOT NULL,"
	" at BIGINT NOT NULL, boot BIGINT NOT NULL DEFAULT 0)",
};

/* Runs sql with $1.. from the format ('t' text, 'i' int64, 'b' bytes: pointer
 * and size_t). Returns the result if it succeeded, else NULL with p->err set;
 * *retry (if given) is set when the failure was a serialization failure or a
 * deadlock. */
static PGresult *pg_vq(struct pg *p, bool *retry, const char *sql, const char *fmt, va_list ap)
{
	const char *vals[PG_MAX_PARAMS];
	int lens[PG_MAX_PARAMS], fmts[PG_MAX_PARAMS];
	char nums[PG_MAX_PARAMS][24];
	int n = 0;
	for (; n < PG_MAX_PARAMS && fmt[n] != '\0'; n++) {
		lens[n] = 0;
		fmts[n] = 0;
		if (fmt[n] == 't') {
			vals[n] = va_arg(ap, const char *);
		} else if (fmt[n] == 'i') {
			snprintf(nums[n], sizeof nums[n], "%lld", (long long)va_arg(ap, int64_t));
			vals[n] = nums[n];
		} else {
			vals[n] = va_arg(ap, const char *);
			lens[n] = (int)va_arg(ap, size_t);
			fmts[n] = 1;
			if (vals[n] == NULL)
				vals[n] = "";
		}
	}
	if (retry != NULL)
		*retry = false;
	if (PQstatus(p->conn) != CONNECTION_OK)
		PQreset(p->conn); /* the server restarted: one reconnect per call */
	PGresult *r = PQexecParams(p->conn, sql, n, NULL, vals, lens, fmts, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (retry != NULL && state != NULL &&
	    (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		*retry = true;
	snprintf(p->err, sizeof p->err, "postgresql: %s", PQerrorMessage(p->conn));
	p->err[strcspn(p->err, "\n")] = '\0';
	PQclear(r);
	return NULL;
}

static PGresult *pg_q(struct pg *p, bool *retry, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pg_vq(p, retry, sql, fmt, ap);
	va_end(ap);
	return r;
}

/* A statement without rows wanted: KBS_DB_OK, PG_RETRY or KBS_DB_ERR; the
 * affected row count in *rows if given. */
static int pg_run(struct pg *p, long *rows, const char *sql, const char *fmt, ...)
{
	bool retry;
	va_list ap;
	va_start(ap, fmt);
	PGresult *r = pg_vq(p, &retry, sql, fmt, ap);
	va_end(ap);
	if (r == NULL)
		return retry ? PG_RETRY : KBS_DB_ERR;
	if (rows != NULL)
		*rows = atol(PQcmdTuples(r));
	PQclear(r);
	return KBS_DB_OK;
}

static int pg_cmd(struct pg *p, const char *sql)
{
	bool retry;
	PGresult *r = pg_q(p, &retry, sql, "");
	if (r == NULL)
		return retry ? PG_RETRY : KBS_DB_ERR;
	PQclear(r);
	return KBS_DB_OK;
}

/* A bytea in text (hex) output form into out[len]; 0 or -1. */
static int pg_bytea(const char *text, uint8_t *out, size_t len)
{
	if (text == NULL || text[0] != '\\' || text[1] != 'x' || strlen(text + 2) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = keel_hexval(text[2 + 2 * i]), lo = keel_hexval(text[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int pg_schema_init(struct pg *p)
{
	/* Two brokers starting at once would race on CREATE TABLE: the
	 * transaction-scoped advisory lock makes schema setup one at a time. */
	if (pg_cmd(p, "BEGIN") != KBS_DB_OK)
		return KBS_DB_ERR;
	if (pg_cmd(p, "SELECT pg_advisory_xact_lock(7403519)") != KBS_DB_OK)
		goto fail;
	for (size_t i = 0; i < sizeof pg_schema / sizeof pg_schema[0]; i++)
		if (pg_cmd(p, pg_schema[i]) != KBS_DB_OK)
			goto fail;
	PGresult *r = pg_q(p, NULL, "SELECT v FROM kbs_meta WHERE k = 'schema_version'", "");
	if (r == NULL)
		goto fail;
	int version = PQntuples(r) > 0 ? atoi(PQgetvalue(r, 0, 0)) : 0;
	PQclear(r);
	if (version > KBS_DB_SCHEMA_VERSION) {
		snprintf(p->err, sizeof p->err, "postgresql: schema version %d is newer than this broker's %d",
			 version, KBS_DB_SCHEMA_VERSION);
		goto fail;
	}
	/* Version 1 is the first: later migrations go here, one step each. */
	if (pg_cmd(p, "INSERT INTO kbs_meta (k, v) VALUES ('schema_version', '1')"
		      " ON CONFLICT (k) DO UPDATE SET v = excluded.v") != KBS_DB_OK)
		goto fail;
	return pg_cmd(p, "COMMIT");
fail:
	pg_cmd(p, "ROLLBACK");
	return KBS_DB_ERR;
}

static void *pg_open(const char *target, char *err, size_t errlen)
{
	struct pg *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->conn = PQconnectdb(target);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		/* The URL may hold a password: say only what libpq says. */
		snprintf(p->err, sizeof p->err, "postgresql: connect: %s", PQerrorMessage(p->conn));
		goto fail;
	}
	if (pg_cmd(p, "SET bytea_output = 'hex'") != KBS_DB_OK ||
	    pg_cmd(p, "SET client_min_messages = warning") != KBS_DB_OK ||
	    pg_schema_init(p) != KBS_DB_OK)
		goto fail;
	return p;
fail:
	if (err != NULL && errlen > 0) {
		snprintf(err, errlen, "%s", p->err);
		err[strcspn(err, "\n")] = '\0';
	}
	PQfinish(p->conn);
	free(p);
	return NULL;
}

static void pg_close(void *be)
{
	struct pg *p = be;
	PQfinish(p->conn);
	free(p);
}

static const char *pg_errmsg(void *be)
{
	return ((struct pg *)be)->err;
}

#define PG_VM_COLS "name, measurements, policy, state_key, boot, acked_generation, last_boot_time, acked"

static int pg_vm_row(struct pg *p, PGresult *r, int row, struct kbs_db_vm *vm)
{
	memset(vm, 0, sizeof *vm);
	if (kbs_db_copy_str(vm->name, sizeof vm->name, PQgetvalue(r, row, 0)) != 0 ||
	    kbs_db_meas_split(PQgetvalue(r, row, 1), vm) != 0 ||
	    pg_bytea(PQgetvalue(r, row, 3), vm->state_key, KBS_DB_KEY_LEN) != 0) {
		snprintf(p->err, sizeof p->err, "postgresql: corrupt kbs_vm row");
		return KBS_DB_ERR;
	}
	vm->policy = (uint64_t)strtoll(PQgetvalue(r, row, 2), NULL, 10);
	vm->boot = (uint64_t)strtoll(PQgetvalue(r, row, 4), NULL, 10);
	vm->acked_generation = (uint64_t)strtoll(PQgetvalue(r, row, 5), NULL, 10);
	vm->last_boot_time = strtoll(PQgetvalue(r, row, 6), NULL, 10);
	vm->acked = atoi(PQgetvalue(r, row, 7)) != 0;
	return KBS_DB_OK;
}

static int pg_vm_put(void *be, const struct kbs_db_vm *vm)
{
	struct pg *p = be;
	char meas[KBS_DB_MEAS_TEXT_MAX + 1];
	kbs_db_meas_join(vm, meas);
	/* Counters are written on insert only: an update never moves them. */
	int rc = pg_run(p, NULL,
		"INSERT INTO kbs_vm (" PG_VM_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		" ON CONFLICT (name) DO UPDATE SET measurements = excluded.measurements,"
		" policy = excluded.policy, state_key = excluded.state_key",
		"ttibiiii", vm->name, meas, (int64_t)vm->policy, vm->state_key,
		(size_t)KBS_DB_KEY_LEN, (int64_t)vm->boot, (int64_t)vm->acked_generation,
		vm->last_boot_time, (int64_t)(vm->acked || vm->boot == 0));
	return rc == KBS_DB_OK ? KBS_DB_OK : KBS_DB_ERR;
}

static int pg_vm_get(void *be, const char *name, struct kbs_db_vm *out)
{
	struct pg *p = be;
	PGresult *r = pg_q(p, NULL, "SELECT " PG_VM_COLS " FROM kbs_vm WHERE name = $1", "t", name);
	if (r == NULL)
		return KBS_DB_ERR;
	int rc = PQntuples(r) == 0 ? KBS_DB_NOT_FOUND : pg_vm_row(p, r, 0, out);
	PQclear(r);
	return rc;
}

static int pg_vm_delete(void *be, const char *name)
{
	long rows = 0;
	int rc = pg_run(be, &rows, "DELETE FROM kbs_vm WHERE name = $1", "t", name);
	if (rc != KBS_DB_OK)
		return KBS_DB_ERR;
	return rows == 0 ? KBS_DB_NOT_FOUND : KBS_DB_OK;
}

static int pg_vm_list(void *be, int (*fn)(const struct kbs_db_vm *vm, void *arg), void *arg)
{
	struct pg *p = be;
	PGresult *r = pg_q(p, NULL, "SELECT " PG_VM_COLS " FROM kbs_vm ORDER BY name", "");
	if (r == NULL)
		return KBS_DB_ERR;
	int rc = KBS_DB_OK;
	struct kbs_db_vm vm;
	for (int i = 0; i < PQntuples(r) && rc == KBS_DB_OK; i++) {
		rc = pg_vm_row(p, r, i, &vm);
		explicit_bzero(vm.state_key, sizeof vm.state_key);
		if (rc == KBS_DB_OK)
			rc = fn(&vm, arg);
	}
	PQclear(r);
	return rc;
}

static int pg_resource_put(void *be, const char *repo, const char *type, const char *tag,
			   const uint8_t *data, size_t len)
{
	int rc = pg_run(be, NULL, "INSERT INTO kbs_resource (repo, type, tag, data)"
				  " VALUES ($1, $2, $3, $4) ON CONFLICT (repo, type, tag)"
				  " DO UPDATE SET data = excluded.data",
			"tttb", repo, type, tag, data, len);
	return rc == KBS_DB_OK ? KBS_DB_OK : KBS_DB_ERR;
}

static int pg_resource_get(void *be, const char *repo, const char *type, const char *tag,
			   uint8_t **data, size_t *len)
{
	struct pg *p = be;
	PGresult *r = pg_q(p, NULL, "SELECT data FROM kbs_resource WHERE repo = $1 AND type = $2"
				    " AND tag = $3", "ttt", repo, type, tag);
	if (r == NULL)
		return KBS_DB_ERR;
	int rc = KBS_DB_OK;
	if (PQntuples(r) == 0) {
		rc = KBS_DB_NOT_FOUND;
	} else {
		const char *hex = PQgetvalue(r, 0, 0);
		size_t n = strlen(hex) >= 2 ? (strlen(hex) - 2) / 2 : 0;
		*data = malloc(n > 0 ? n : 1);
		if (*data == NULL) {
			rc = KBS_DB_ERR;
		} else if (pg_bytea(hex, *data, n) != 0) {
			free(*data);
			*data = NULL;
			snprintf(p->err, sizeof p->err, "postgresql: corrupt kbs_resource row");
			rc = KBS_DB_ERR;
		} else {
			*len = n;
		}
	}
	PQclear(r);
	return rc;
}

static int pg_resource_delete(void *be, const char *repo, const char *type, const char *tag)
{
	long rows = 0;
	int rc = pg_run(be, &rows, "DELETE FROM kbs_resource WHERE repo = $1 AND type = $2"
				   " AND tag = $3", "ttt", repo, type, tag);
	if (rc != KBS_DB_OK)
		return KBS_DB_ERR;
	return rows == 0 ? KBS_DB_NOT_FOUND : KBS_DB_OK;
}

static int pg_session_insert(void *be, const struct kbs_db_session *s)
{
	long rows = 0;
	/* A nonce ever consumed is never handed out again; a clash with a live
	 * session's cookie or nonce inserts nothing: the caller draws again. */
	int rc = pg_run(be, &rows,
		"INSERT INTO kbs_session (cookie, nonce, vm, created, expires)"
		" SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS"
		" (SELECT 1 FROM kbs_consumed WHERE nonce = $2) ON CONFLICT DO NOTHING",
		"tttii", s->cookie, s->nonce, s->vm, s->created, s->expires);
	if (rc != KBS_DB_OK)
		return KBS_DB_ERR;
	return rows == 0 ? KBS_DB_INVALID : KBS_DB_OK;
}

static int pg_session_get(void *be, const char *cookie, struct kbs_db_session *out)
{
	struct pg *p = be;
	PGresult *r = pg_q(p, NULL, "SELECT cookie, nonce, vm, created, expires, attested, boot,"
				    " min_generation, ack_key, tee_pubkey FROM kbs_session"
				    " WHERE cookie = $1", "t", cookie);
	if (r == NULL)
		return KBS_DB_ERR;
	memset(out, 0, sizeof *out);
	int rc = KBS_DB_OK;
	if (PQntuples(r) == 0) {
		rc = KBS_DB_NOT_FOUND;
		goto done;
	}
	out->attested = atoi(PQgetvalue(r, 0, 5)) != 0;
	if (kbs_db_copy_str(out->cookie, sizeof out->cookie, PQgetvalue(r, 0, 0)) != 0 ||
	    kbs_db_copy_str(out->nonce, sizeof out->nonce, PQgetvalue(r, 0, 1)) != 0 ||
	    kbs_db_copy_str(out->vm, sizeof out->vm, PQgetvalue(r, 0, 2)) != 0 ||
	    kbs_db_copy_str(out->tee_pubkey, sizeof out->tee_pubkey, PQgetvalue(r, 0, 9)) != 0 ||
	    (out->attested && pg_bytea(PQgetvalue(r, 0, 8), out->ack_key, KBS_DB_KEY_LEN) != 0)) {
		snprintf(p->err, sizeof p->err, "postgresql: corrupt kbs_session row");
		rc = KBS_DB_ERR;
		goto done;
	}
	out->created = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	out->expires = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	out->boot = (uint64_t)strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	out->min_generation = (uint64_t)strtoll(PQgetvalue(r, 0, 7), NULL, 10);
done:
	PQclear(r);
	return rc;
}

static int pg_session_purge(void *be, int64_t now)
{
	int rc = pg_run(be, NULL, "DELETE FROM kbs_session WHERE expires < $1", "i", now);
	return rc == KBS_DB_OK ? KBS_DB_OK : KBS_DB_ERR;
}

/* What one attestation transaction needs and hands back. */
struct pg_attest {
	const char *cookie, *vm, *tee_pubkey;
	int64_t now, boot_window;
	const uint8_t *ack_key;
	bool burn_only; /* kbs_db_challenge_burn: stop after consuming */
	struct kbs_db_attest_out *out;
};

/* Locks the session row and consumes its challenge: KBS_DB_OK, NOT_FOUND,
 * MISMATCH, CHALLENGE_USED, PG_RETRY or ERR; the session's expiry in *expires. */
static int pg_consume(struct pg *p, const struct pg_attest *a, int64_t *expires)
{
	bool retry;
	PGresult *r = pg_q(p, &retry, "SELECT vm, expires FROM kbs_session WHERE cookie = $1"
				      " FOR UPDATE", "t", a->cookie);
	if (r == NULL)
		return retry ? PG_RETRY : KBS_DB_ERR;
	int rc = KBS_DB_OK;
	if (PQntuples(r) == 0)
		rc = KBS_DB_NOT_FOUND;
	else if (!a->burn_only && strcmp(PQgetvalue(r, 0, 0), a->vm) != 0)
		rc = KBS_DB_MISMATCH;
	else
		*expires = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	if (rc != KBS_DB_OK)
		return rc;
	long rows = 0;
	rc = pg_run(p, &rows, "INSERT INTO kbs_consumed (nonce, vm, at)"
			      " SELECT nonce, vm, extract(epoch FROM now())::bigint FROM kbs_session"
			      " WHERE cookie = $1 ON CONFLICT (nonce) DO NOTHING", "t", a->cookie);
	if (rc != KBS_DB_OK)
		return rc;
	return rows == 0 ? KBS_DB_CHALLENGE_USED : KBS_DB_OK;
}

/* The transaction's body; *keep says whether to COMMIT (a refusal still
 * keeps the consumed challenge). */
static int pg_attest_body(struct pg *p, const struct pg_attest *a, bool *keep)
{
	int64_t expires = 0;
	*keep = false;
	int rc = pg_consume(p, a, &expires);
	if (rc != KBS_DB_OK)
		return rc;
	*keep = true;
	if (a->burn_only)
		return KBS_DB_OK;
	if (a->now > expires)
		return KBS_DB_EXPIRED;
	bool retry;
	PGresult *r = pg_q(p, &retry, "SELECT " PG_VM_COLS " FROM kbs_vm WHERE name = $1 FOR UPDATE",
			   "t", a->vm);
	if (r == NULL) {
		*keep = false;
		return retry ? PG_RETRY : KBS_DB_ERR;
	}
	struct kbs_db_vm row;
	rc = PQntuples(r) == 0 ? KBS_DB_NOT_FOUND : pg_vm_row(p, r, 0, &row);
	PQclear(r);
	if (rc != KBS_DB_OK) {
		*keep = rc == KBS_DB_NOT_FOUND;
		return rc;
	}
	if (!row.acked && row.boot > 0 && a->now - row.last_boot_time < a->boot_window) {
		explicit_bzero(&row, sizeof row);
		return KBS_DB_BOOT_PENDING;
	}
	a->out->boot = row.boot + 1;
	a->out->min_generation = row.acked_generation;
	memcpy(a->out->state_key, row.state_key, KBS_DB_KEY_LEN);
	explicit_bzero(&row, sizeof row);
	rc = pg_run(p, NULL, "UPDATE kbs_vm SET boot = $1, acked = 0, last_boot_time = $2"
			     " WHERE name = $3", "iit", (int64_t)a->out->boot, a->now, a->vm);
	if (rc == KBS_DB_OK)
		rc = pg_run(p, NULL, "UPDATE kbs_consumed SET boot = $1 WHERE nonce ="
				     " (SELECT nonce FROM kbs_session WHERE cookie = $2)",
			    "it", (int64_t)a->out->boot, a->cookie);
	if (rc == KBS_DB_OK)
		rc = pg_run(p, NULL, "UPDATE kbs_session SET attested = 1, boot = $1,"
				     " min_generation = $2, ack_key = $3, tee_pubkey = $4"
				     " WHERE cookie = $5", "iibtt", (int64_t)a->out->boot,
			    (int64_t)a->out->min_generation, a->ack_key, (size_t)KBS_DB_KEY_LEN,
			    a->tee_pubkey, a->cookie);
	if (rc != KBS_DB_OK)
		*keep = false;
	return rc;
}

/* BEGIN, body, COMMIT or ROLLBACK; the whole again after a serialization
 * failure or deadlock (another broker process won the race: rerun sees it). */
static int pg_attest_tx(struct pg *p, const struct pg_attest *a)
{
	for (int attempt = 0; attempt < PG_RETRIES; attempt++) {
		if (pg_cmd(p, "BEGIN ISOLATION LEVEL READ COMMITTED") != KBS_DB_OK)
			return KBS_DB_ERR;
		bool keep;
		int rc = pg_attest_body(p, a, &keep);
		if (keep) {
			int c = pg_cmd(p, "COMMIT");
			if (c == KBS_DB_OK)
				return rc;
			pg_cmd(p, "ROLLBACK");
			rc = c;
		} else {
			pg_cmd(p, "ROLLBACK");
		}
		if (a->out != NULL)
			explicit_bzero(a->out, sizeof *a->out);
		if (rc != PG_RETRY)
			return rc;
	}
	snprintf(p->err, sizeof p->err, "postgresql: attestation transaction: too many retries");
	return KBS_DB_ERR;
}

static int pg_attest_commit(void *be, const char *cookie, const char *vm, int64_t now,
			    int64_t boot_window, const char *tee_pubkey,
			    const uint8_t ack_key[KBS_DB_KEY_LEN], struct kbs_db_attest_out *out)
{
	struct pg_attest a = { .cookie = cookie, .vm = vm, .tee_pubkey = tee_pubkey, .now = now,
			       .boot_window = boot_window, .ack_key = ack_key, .out = out };
	return pg_attest_tx(be, &a);
}

static int pg_challenge_burn(void *be, const char *cookie)
{
	struct pg_attest a = { .cookie = cookie, .burn_only = true };
	return pg_attest_tx(be, &a);
}

static int pg_ack(void *be, const char *vm, uint64_t boot, uint64_t generation)
{
	long rows = 0;
	/* One statement: atomic under concurrent acks and attestations (it takes
	 * the row lock), and GREATEST keeps the generation from going back. */
	int rc = pg_run(be, &rows, "UPDATE kbs_vm SET acked_generation ="
				   " GREATEST(acked_generation, $1), acked = 1"
				   " WHERE name = $2 AND boot = $3",
			"iti", (int64_t)generation, vm, (int64_t)boot);
	if (rc != KBS_DB_OK)
		return KBS_DB_ERR;
	return rows > 0 ? KBS_DB_OK : KBS_DB_BACKEND_NO_ROW;
}

const struct kbs_db_ops kbs_db_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.errmsg = pg_errmsg,
	.vm_put = pg_vm_put,
	.vm_get = pg_vm_get,
	.vm_delete = pg_vm_delete,
	.vm_list = pg_vm_list,
	.resource_put = pg_resource_put,
	.resource_get = pg_resource_get,
	.resource_delete = pg_resource_delete,
	.session_insert = pg_session_insert,
	.session_get = pg_session_get,
	.session_purge = pg_session_purge,
	.attest_commit = pg_attest_commit,
	.challenge_burn = pg_challenge_burn,
	.ack = pg_ack,
};
