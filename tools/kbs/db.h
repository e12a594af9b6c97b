/* The key broker's state (docs/kbs-db.md): VMs, resources, sessions and the
 * one transaction that turns a verified attestation into a boot.
 *
 * Backends: SQLite (a file, the default) and PostgreSQL (several broker
 * processes may share one database). Every rule that must hold across
 * processes -- a challenge is answered at most once, ever; a boot counter
 * never goes back or repeats; an acknowledged generation never decreases --
 * is enforced inside the database's transactions, never by locks in this
 * process. A handle may be used from several threads (calls on one handle are
 * serialised); open one handle per thread for parallel work.
 *
 * Times are Unix seconds, passed in by the caller (tests choose the clock). */
#ifndef KBS_DB_H
#define KBS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KBS_DB_NAME_MAX 64        /* VM name; resource repo/type/tag: bytes, no NUL */
#define KBS_DB_MEAS_HEX 96        /* SHA-384 launch measurement, lowercase hex */
#define KBS_DB_MEAS_MAX 8         /* accepted measurements per VM */
#define KBS_DB_KEY_LEN 32         /* state key, ack key */
#define KBS_DB_COOKIE_LEN 36      /* kbs-session-id: UUID v4 text, as Trustee's */
#define KBS_DB_NONCE_LEN 44       /* challenge: base64 (standard, padded) of 32 random bytes */
#define KBS_DB_TEE_KEY_MAX 1024   /* the tee-pubkey JWK as received (JSON text) */
#define KBS_DB_RESOURCE_MAX (1u << 20)

/* Results: 0 or a negative status; kbs_db_errmsg() has the backend's text. */
enum kbs_db_status {
	KBS_DB_OK = 0,
	KBS_DB_ERR = -1,            /* backend failure (connection, SQL, I/O) */
	KBS_DB_INVALID = -2,        /* bad argument (name too long, ...): nothing done */
	KBS_DB_NOT_FOUND = -3,      /* no such VM / resource / session */
	KBS_DB_CHALLENGE_USED = -4, /* this session's challenge was already answered */
	KBS_DB_EXPIRED = -5,        /* the session is past its expiry */
	KBS_DB_BOOT_PENDING = -6,   /* previous boot unacknowledged and within boot_window */
	KBS_DB_STALE_BOOT = -7,     /* ack for a boot that is not the VM's current one */
	KBS_DB_MISMATCH = -8,       /* the session belongs to another VM */
};

struct kbs_db;

/* One registered VM. policy is opaque here (tools/kbs defines its bits). */
struct kbs_db_vm {
	char name[KBS_DB_NAME_MAX + 1];
	unsigned n_meas;
	char meas[KBS_DB_MEAS_MAX][KBS_DB_MEAS_HEX + 1];
	uint64_t policy;
	uint8_t state_key[KBS_DB_KEY_LEN];
	uint64_t boot;             /* boots handed out so far; 0 = never booted */
	uint64_t acked_generation; /* the next boot's min-generation */
	int64_t last_boot_time;    /* when boot `boot` was handed out; 0 = never */
	bool acked;                /* boot `boot` acknowledged (true when boot == 0) */
};

/* A session: made at /auth, attested at /attest, read by later requests. */
struct kbs_db_session {
	char cookie[KBS_DB_COOKIE_LEN + 1];
	char nonce[KBS_DB_NONCE_LEN + 1];
	char vm[KBS_DB_NAME_MAX + 1];
	int64_t created;
	int64_t expires;
	bool attested;             /* the fields below are valid only when true */
	uint64_t boot;             /* the boot this session's attestation got */
	uint64_t min_generation;
	uint8_t ack_key[KBS_DB_KEY_LEN];
	char tee_pubkey[KBS_DB_TEE_KEY_MAX + 1];
};

/* What kbs_db_attest_commit hands out. state_key is a secret: wipe it. */
struct kbs_db_attest_out {
	uint64_t boot;
	uint64_t min_generation;
	uint8_t state_key[KBS_DB_KEY_LEN];
};

/* url: "postgresql://..." or "postgres://..." (libpq conninfo URI), "sqlite:FILE"
 * or a plain FILE path (SQLite). Creates or migrates the schema. On failure
 * returns NULL and, if err != NULL, writes a message into err[errlen]. */
struct kbs_db *kbs_db_open(const char *url, char *err, size_t errlen);
void kbs_db_close(struct kbs_db *db);
/* The last failure's text on this handle (never contains key material). */
const char *kbs_db_errmsg(struct kbs_db *db);
/* A short name of a status, for logs. */
const char *kbs_db_status_str(int status);

/* VMs. put: insert, or update an existing VM's measurements, policy and state
 * key; on update boot, acked_generation, last_boot_time and acked are ignored
 * (they only move forward through attest_commit/ack). */
int kbs_db_vm_put(struct kbs_db *db, const struct kbs_db_vm *vm);
int kbs_db_vm_get(struct kbs_db *db, const char *name, struct kbs_db_vm *out);
int kbs_db_vm_delete(struct kbs_db *db, const char *name);
/* Calls fn for each VM in name order (state_key zeroed in what fn sees);
 * a nonzero return from fn stops the walk and is returned. */
int kbs_db_vm_list(struct kbs_db *db, int (*fn)(const struct kbs_db_vm *vm, void *arg), void *arg);

/* Resources: repo/type/tag -> bytes (at most KBS_DB_RESOURCE_MAX). get
 * returns a malloc'd copy in *data (caller frees; wipe if secret). */
int kbs_db_resource_put(struct kbs_db *db, const char *repo, const char *type, const char *tag,
			const uint8_t *data, size_t len);
int kbs_db_resource_get(struct kbs_db *db, const char *repo, const char *type, const char *tag,
			uint8_t **data, size_t *len);
int kbs_db_resource_delete(struct kbs_db *db, const char *repo, const char *type, const char *tag);

/* A new session for vm (it need not be registered yet: checked at attest),
 * with a fresh random cookie and challenge nonce, unique in the database,
 * expiring at now + ttl. */
int kbs_db_session_create(struct kbs_db *db, const char *vm, int64_t now, int64_t ttl,
			  struct kbs_db_session *out);
int kbs_db_session_get(struct kbs_db *db, const char *cookie, struct kbs_db_session *out);
/* Deletes sessions expired before now (their consumed challenges stay consumed). */
int kbs_db_session_purge(struct kbs_db *db, int64_t now);

/* THE transaction, after the broker verified the evidence for session
 * `cookie` (whose vm must equal `vm`): consumes the challenge, ever
 * (KBS_DB_CHALLENGE_USED if already answered); refuses with
 * KBS_DB_BOOT_PENDING if the VM's current boot is unacknowledged and
 * now - last_boot_time < boot_window (two clones racing: one gets the key);
 * else boot = boot + 1, unacknowledged, last_boot_time = now, and records in
 * the session: attested, boot, min_generation, tee_pubkey, ack_key. A refusal
 * still consumes the challenge. */
int kbs_db_attest_commit(struct kbs_db *db, const char *cookie, const char *vm, int64_t now,
			 int64_t boot_window, const char *tee_pubkey,
			 const uint8_t ack_key[KBS_DB_KEY_LEN], struct kbs_db_attest_out *out);
/* Consumes a session's challenge without a boot (the evidence failed), so it
 * can never be answered again. KBS_DB_CHALLENGE_USED if it already was. */
int kbs_db_challenge_burn(struct kbs_db *db, const char *cookie);
/* The VM's boot `boot` reached generation `generation`: if boot is the VM's
 * current boot, acked_generation = max(old, generation) and acked = true;
 * else KBS_DB_STALE_BOOT. The broker checks the ack MAC before calling. */
int kbs_db_ack(struct kbs_db *db, const char *vm, uint64_t boot, uint64_t generation);

#endif
