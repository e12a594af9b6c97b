/* The broker's state: picks the backend from the URL, checks every argument
 * before a backend sees it (decode, then act), and serialises calls on one
 * handle (the backends' connections are not thread-safe). Correctness across
 * broker processes is the backends' transactions' job, not this mutex's. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"

struct kbs_db {
	const struct kbs_db_ops *ops;
	void *be;
	pthread_mutex_t lock;
};

struct kbs_db *kbs_db_open(const char *url, char *err, size_t errlen)
{
	const struct kbs_db_ops *ops = &kbs_db_sqlite_ops;
	const char *target = url;
	if (url == NULL || url[0] == '\0') {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "kbs-db: empty database URL");
		return NULL;
	}
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		ops = &kbs_db_pg_ops;
	else if (strncmp(url, "sqlite:", 7) == 0)
		target = url + 7;
	struct kbs_db *db = calloc(1, sizeof *db);
	if (db == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "kbs-db: out of memory");
		return NULL;
	}
	db->ops = ops;
	db->be = ops->open(target, err, errlen);
	if (db->be == NULL) {
		free(db);
		return NULL;
	}
	pthread_mutex_init(&db->lock, NULL);
	return db;
}

void kbs_db_close(struct kbs_db *db)
{
	if (db == NULL)
		return;
	db->ops->close(db->be);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

const char *kbs_db_errmsg(struct kbs_db *db)
{
	return db == NULL ? "no database" : db->ops->errmsg(db->be);
}

const char *kbs_db_status_str(int status)
{
	switch (status) {
	case KBS_DB_OK: return "ok";
	case KBS_DB_ERR: return "database error";
	case KBS_DB_INVALID: return "invalid argument";
	case KBS_DB_NOT_FOUND: return "not found";
	case KBS_DB_CHALLENGE_USED: return "challenge already used";
	case KBS_DB_EXPIRED: return "session expired";
	case KBS_DB_BOOT_PENDING: return "previous boot unacknowledged (boot window)";
	case KBS_DB_STALE_BOOT: return "not the current boot";
	case KBS_DB_MISMATCH: return "session belongs to another VM";
	default: return "unknown status";
	}
}

/* A name, repo, type or tag: 1..KBS_DB_NAME_MAX printable ASCII bytes
 * without '/' (they are URL path segments in the protocol). */
static bool name_ok(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > KBS_DB_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '/')
			return false;
	return true;
}

static bool meas_ok(const char *m)
{
	if (strnlen(m, KBS_DB_MEAS_HEX + 1) != KBS_DB_MEAS_HEX)
		return false;
	for (size_t i = 0; i < KBS_DB_MEAS_HEX; i++)
		if (!((m[i] >= '0' && m[i] <= '9') || (m[i] >= 'a' && m[i] <= 'f')))
			return false;
	return true;
}

static bool vm_ok(const struct kbs_db_vm *vm)
{
	if (vm == NULL || !name_ok(vm->name) || vm->n_meas > KBS_DB_MEAS_MAX)
		return false;
	for (unsigned i = 0; i < vm->n_meas; i++)
		if (!meas_ok(vm->meas[i]))
			return false;
	return vm->boot <= INT64_MAX && vm->acked_generation <= INT64_MAX && vm->last_boot_time >= 0;
}

static bool cookie_ok(const char *c)
{
	return c != NULL && strnlen(c, KBS_DB_COOKIE_LEN + 1) == KBS_DB_COOKIE_LEN;
}

#define LOCKED(db, call)                                \
	do {                                            \
		pthread_mutex_lock(&(db)->lock);        \
		int rc_ = (call);                       \
		pthread_mutex_unlock(&(db)->lock);      \
		return rc_;                             \
	} while (0)

int kbs_db_vm_put(struct kbs_db *db, const struct kbs_db_vm *vm)
{
	if (!vm_ok(vm))
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->vm_put(db->be, vm));
}

int kbs_db_vm_get(struct kbs_db *db, const char *name, struct kbs_db_vm *out)
{
	if (!name_ok(name) || out == NULL)
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->vm_get(db->be, name, out));
}

int kbs_db_vm_delete(struct kbs_db *db, const char *name)
{
	if (!name_ok(name))
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->vm_delete(db->be, name));
}

int kbs_db_vm_list(struct kbs_db *db, int (*fn)(const struct kbs_db_vm *vm, void *arg), void *arg)
{
	if (fn == NULL)
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->vm_list(db->be, fn, arg));
}

int kbs_db_resource_put(struct kbs_db *db, const char *repo, const char *type, const char *tag,
			const uint8_t *data, size_t len)
{
	if (!name_ok(repo) || !name_ok(type) || !name_ok(tag) || len > KBS_DB_RESOURCE_MAX ||
	    (data == NULL && len > 0))
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->resource_put(db->be, repo, type, tag, data, len));
}

int kbs_db_resource_get(struct kbs_db *db, const char *repo, const char *type, const char *tag,
			uint8_t **data, size_t *len)
{
	if (!name_ok(repo) || !name_ok(type) || !name_ok(tag) || data == NULL || len == NULL)
		return KBS_DB_INVALID;
	*data = NULL;
	*len = 0;
	LOCKED(db, db->ops->resource_get(db->be, repo, type, tag, data, len));
}

int kbs_db_resource_delete(struct kbs_db *db, const char *repo, const char *type, const char *tag)
{
	if (!name_ok(repo) || !name_ok(type) || !name_ok(tag))
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->resource_delete(db->be, repo, type, tag));
}

int kbs_db_session_create(struct kbs_db *db, const char *vm, int64_t now, int64_t ttl,
			  struct kbs_db_session *out)
{
	if (!name_ok(vm) || out == NULL || now < 0 || ttl <= 0 || now > INT64_MAX - ttl)
		return KBS_DB_INVALID;
	memset(out, 0, sizeof *out);
	memcpy(out->vm, vm, strlen(vm) + 1);
	out->created = now;
	out->expires = now + ttl;
	/* 122 + 256 random bits: a collision is not expected, but the database's
	 * unique constraints decide, and a clash draws again. */
	int rc = KBS_DB_ERR;
	for (int attempt = 0; attempt < 4; attempt++) {
		if (kbs_db_new_cookie(out->cookie) != 0 || kbs_db_new_nonce(out->nonce) != 0)
			return KBS_DB_ERR;
		pthread_mutex_lock(&db->lock);
		rc = db->ops->session_insert(db->be, out);
		pthread_mutex_unlock(&db->lock);
		if (rc != KBS_DB_INVALID)
			return rc;
	}
	return KBS_DB_ERR;
}

int kbs_db_session_get(struct kbs_db *db, const char *cookie, struct kbs_db_session *out)
{
	if (!cookie_ok(cookie) || out == NULL)
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->session_get(db->be, cookie, out));
}

int kbs_db_session_purge(struct kbs_db *db, int64_t now)
{
	LOCKED(db, db->ops->session_purge(db->be, now));
}

int kbs_db_attest_commit(struct kbs_db *db, const char *cookie, const char *vm, int64_t now,
			 int64_t boot_window, const char *tee_pubkey,
			 const uint8_t ack_key[KBS_DB_KEY_LEN], struct kbs_db_attest_out *out)
{
	if (!cookie_ok(cookie) || !name_ok(vm) || now < 0 || boot_window < 0 ||
	    tee_pubkey == NULL || strnlen(tee_pubkey, KBS_DB_TEE_KEY_MAX + 1) > KBS_DB_TEE_KEY_MAX ||
	    ack_key == NULL || out == NULL)
		return KBS_DB_INVALID;
	memset(out, 0, sizeof *out);
	LOCKED(db, db->ops->attest_commit(db->be, cookie, vm, now, boot_window, tee_pubkey, ack_key,
					  out));
}

int kbs_db_challenge_burn(struct kbs_db *db, const char *cookie)
{
	if (!cookie_ok(cookie))
		return KBS_DB_INVALID;
	LOCKED(db, db->ops->challenge_burn(db->be, cookie));
}

/* The backend updates only the VM's current boot; when nothing matched, the
 * VM is either unknown (NOT_FOUND or an error, as vm_get says) or the ack
 * names another boot (STALE_BOOT). One decision for both backends. */
static int ack_locked(struct kbs_db *db, const char *vm, uint64_t boot, uint64_t generation)
{
	int rc = db->ops->ack(db->be, vm, boot, generation);
	if (rc != KBS_DB_BACKEND_NO_ROW)
		return rc;
	struct kbs_db_vm row;
	rc = db->ops->vm_get(db->be, vm, &row);
	explicit_bzero(&row, sizeof row);
	return rc == KBS_DB_OK ? KBS_DB_STALE_BOOT : rc;
}

int kbs_db_ack(struct kbs_db *db, const char *vm, uint64_t boot, uint64_t generation)
{
	if (!name_ok(vm) || boot == 0 || boot > INT64_MAX || generation > INT64_MAX)
		return KBS_DB_INVALID;
	LOCKED(db, ack_locked(db, vm, boot, generation));
}
