/*
 * The task's state backend (state_backend.h): storaged on handle slot 1,
 * whose measured manifest line binds that channel to the namespace "vtpm"
 * (blob "permall" is the object vtpm/permall). Booted and hosted alike;
 * storaged encrypts, authenticates and commits atomically
 * (docs/storage-format.md), so nothing here checksums anything.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../storaged/storaged_client.h"
#include "state_backend.h"

#define VTPM_STORAGED_HANDLE 1u

int vtpm_backend_get(const char *name, uint8_t **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	int r = storaged_get(VTPM_STORAGED_HANDLE, name, data, len);
	if (r == STORAGED_OK && *data == NULL)
		*data = malloc(1); /* an empty blob is still a blob */
	if (r == STORAGED_OK && *data != NULL)
		return VTPM_STATE_OK;
	if (r == STORAGED_ABSENT)
		return VTPM_STATE_ABSENT;
	free(*data);
	*data = NULL;
	printf("vtpm: reading state '%s' from storaged failed: %s\n", name,
	       r == STORAGED_OK ? "out of memory" : storaged_strerror(r));
	return r == STORAGED_ECORRUPT ? VTPM_STATE_CORRUPT : VTPM_STATE_IOERR;
}

int vtpm_backend_commit(const struct vtpm_staged *changes, size_t n)
{
	int r = STORAGED_OK;
	uint64_t gen = 0;
	for (size_t i = 0; i < n && r == STORAGED_OK; i++)
		r = changes[i].data != NULL
		        ? storaged_put(VTPM_STORAGED_HANDLE, changes[i].name, changes[i].data,
		                       changes[i].len)
		        : storaged_delete(VTPM_STORAGED_HANDLE, changes[i].name);
	if (r == STORAGED_OK)
		r = storaged_commit(VTPM_STORAGED_HANDLE, &gen);
	if (r == STORAGED_OK)
		return VTPM_STATE_OK;
	printf("vtpm: committing %zu state change(s) to storaged failed: %s\n", n,
	       storaged_strerror(r));
	storaged_abort(VTPM_STORAGED_HANDLE);
	return VTPM_STATE_IOERR;
}
