/*
 * The vtpm's state store: named blobs (libtpms's "permall" permanent
 * state, and whatever else libtpms asks to keep). One interface, one
 * backend per mode, chosen by the build (apps/apps.mk):
 *   state_file.c  hosted: one file per blob in KEEL_STATE_DIR, replaced atomically
 *   state_mem.c   booted: the task's memory (storaged will back it later)
 */
#ifndef VTPM_STATE_H
#define VTPM_STATE_H

#include <stddef.h>
#include <stdint.h>

#define VTPM_STATE_OK 0
#define VTPM_STATE_ABSENT 1      /* no such blob: a first start */
#define VTPM_STATE_CORRUPT (-1)  /* present but unusable (logged); left untouched */
#define VTPM_STATE_IOERR (-2)    /* could not read/write (logged) */

/* Names: 1..32 of [a-z0-9_-]. */
#define VTPM_STATE_NAME_MAX 32

/* On VTPM_STATE_OK, *data is malloc'd (caller frees) and *len set. */
int vtpm_state_load(const char *name, uint8_t **data, size_t *len);
/* Replaces the blob; either the old or the new contents survive a crash. */
int vtpm_state_store(const char *name, const uint8_t *data, size_t len);
/* Deletes the blob; absent is not an error. */
int vtpm_state_remove(const char *name);
/* 1 if name is a valid blob name. */
int vtpm_state_name_ok(const char *name);

#endif
