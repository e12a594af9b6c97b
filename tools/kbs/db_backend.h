/* What db.c (the dispatch) needs from a backend (db_sqlite.c, db_pg.c), and
 * the helpers they share (db_util.c). Arguments reaching a backend were
 * already checked by db.c: names fit, measurements are lowercase hex, sizes
 * are in range, numbers stored as BIGINT are <= INT64_MAX. */
#ifndef KBS_DB_BACKEND_H
#define KBS_DB_BACKEND_H

#include "db.h"

struct kbs_db_ops {
	const char *name;
	void *(*open)(const char *target, char *err, size_t errlen);
	void (*close)(void *be);
	const char *(*errmsg)(void *be);
	int (*vm_put)(void *be, const struct kbs_db_vm *vm);
	int (*vm_get)(void *be, const char *name, struct kbs_db_vm *out);
	int (*vm_delete)(void *be, const char *name);
	int (*vm_list)(void *be, int (*fn)(const struct kbs_db_vm *vm, void *arg), void *arg);
	int (*resource_put)(void *be, const char *repo, const char *type, const char *tag,
			    const uint8_t *data, size_t len);
	int (*resource_get)(void *be, const char *repo, const char *type, const char *tag,
			    uint8_t **data, size_t *len);
	int (*resource_delete)(void *be, const char *repo, const char *type, const char *tag);
	/* Inserts s (cookie and nonce filled by db.c); KBS_DB_INVALID if the
	 * cookie or nonce exists already (db.c draws new ones and retries). */
	int (*session_insert)(void *be, const struct kbs_db_session *s);
	int (*session_get)(void *be, const char *cookie, struct kbs_db_session *out);
	int (*session_purge)(void *be, int64_t now);
	int (*attest_commit)(void *be, const char *cookie, const char *vm, int64_t now,
			     int64_t boot_window, const char *tee_pubkey,
			     const uint8_t ack_key[KBS_DB_KEY_LEN], struct kbs_db_attest_out *out);
	int (*challenge_burn)(void *be, const char *cookie);
	/* KBS_DB_OK when boot `boot` of `vm` was updated, KBS_DB_BACKEND_NO_ROW when
	 * no row matched (db.c tells a stale boot from an unknown VM), or an error. */
	int (*ack)(void *be, const char *vm, uint64_t boot, uint64_t generation);
};

/* A backend's ack matched no row; never leaves db.c. */
#define KBS_DB_BACKEND_NO_ROW 1

extern const struct kbs_db_ops kbs_db_sqlite_ops;
extern const struct kbs_db_ops kbs_db_pg_ops;

/* The schema version this build writes (docs/kbs-db.md); a database with a
 * newer one is refused at open. */
#define KBS_DB_SCHEMA_VERSION 1

/* Measurements as stored: lowercase hex strings separated by one space. */
#define KBS_DB_MEAS_TEXT_MAX (KBS_DB_MEAS_MAX * (KBS_DB_MEAS_HEX + 1))
void kbs_db_meas_join(const struct kbs_db_vm *vm, char out[KBS_DB_MEAS_TEXT_MAX + 1]);
/* 0, or -1 if text is not such a list (a corrupt row). */
int kbs_db_meas_split(const char *text, struct kbs_db_vm *vm);

/* Fills buf with len bytes from the kernel's CSPRNG; 0 or -1. */
int kbs_db_random(void *buf, size_t len);
/* A fresh cookie (UUID v4 text) and nonce (base64 of 32 random bytes). */
int kbs_db_new_cookie(char out[KBS_DB_COOKIE_LEN + 1]);
int kbs_db_new_nonce(char out[KBS_DB_NONCE_LEN + 1]);

/* Copies src into dst[cap] if it fits (with its NUL); 0 or -1. */
int kbs_db_copy_str(char *dst, size_t cap, const char *src);

#endif
