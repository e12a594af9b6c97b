/*
 * The vtpm's state store: named blobs (libtpms's "permall" permanent
 * state, the provisioning marker, the EK CA and the EK certificates).
 * One interface; the backends:
 *   state_storaged.c  the task, booted and hosted: storaged (handle slot 1,
 *                     namespace vtpm)
 *   tools/keel-state/manufacture_state.c  keel-state manufacture-tpm: the
 *                     format library (store.h) on the image directly
 *
 * Stores and removes are staged: loads see them at once, but nothing
 * reaches the disk until vtpm_state_commit, which makes everything staged
 * durable in one atomic commit (storaged COMMIT). service.c commits once
 * after each TPM command that staged something, before its response
 * leaves, and once for a whole manufacture.
 */
#ifndef VTPM_STATE_H
#define VTPM_STATE_H

#include <stddef.h>
#include <stdint.h>

#define VTPM_STATE_OK 0
#define VTPM_STATE_ABSENT 1      /* no such blob: a first start */
#define VTPM_STATE_CORRUPT (-1)  /* present but unusable (logged); left untouched */
#define VTPM_STATE_IOERR (-2)    /* could not read/write (logged) */

/* Names: 1..32 of [a-z0-9_.-], not starting with '.'. */
#define VTPM_STATE_NAME_MAX 32

/* On VTPM_STATE_OK, *data is malloc'd (caller frees) and *len set. Sees staged changes. */
int vtpm_state_load(const char *name, uint8_t **data, size_t *len);
/* Stages a replacement of the blob. */
int vtpm_state_store(const char *name, const uint8_t *data, size_t len);
/* Stages a delete; absent is not an error. */
int vtpm_state_remove(const char *name);
/* 1 if name is a valid blob name. */
int vtpm_state_name_ok(const char *name);

/* 1 if something is staged and not yet committed. */
int vtpm_state_pending(void);
/*
 * Commits everything staged, atomically: after a crash either all of it
 * or none of it is stored. VTPM_STATE_OK or VTPM_STATE_IOERR (logged);
 * either way nothing is staged afterwards (a failed commit drops it).
 */
int vtpm_state_commit(void);
/* Drops everything staged. */
void vtpm_state_abort(void);
/* Number of successful commits so far (logs, tests). */
unsigned long vtpm_state_commits(void);

#endif
