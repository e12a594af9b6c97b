/*
 * What a state backend gives state_stage.c (which implements state.h on
 * top): reading a committed blob, and committing a list of staged changes
 * atomically. Backends: state_storaged.c (the task) and
 * tools/keel-state/manufacture_state.c (the offline tool).
 */
#ifndef VTPM_STATE_BACKEND_H
#define VTPM_STATE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

struct vtpm_staged {
	char name[VTPM_STATE_NAME_MAX + 1];
	uint8_t *data; /* NULL: a delete */
	size_t len;
};

/* VTPM_STATE_OK (*data malloc'd), _ABSENT, _CORRUPT or _IOERR; failures are logged. */
int vtpm_backend_get(const char *name, uint8_t **data, size_t *len);
/* Puts/deletes all n changes in one atomic commit: VTPM_STATE_OK or _IOERR (logged). */
int vtpm_backend_commit(const struct vtpm_staged *changes, size_t n);

#endif
