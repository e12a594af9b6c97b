/*
 * The staging half of the state store (state.h), shared by every backend
 * (state_backend.h): stores and removes wait here, visible to loads, until
 * vtpm_state_commit hands them to the backend as one atomic commit. So a
 * TPM command that stores permall several times, or a manufacture that
 * stores a dozen times, reaches the disk once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "state_backend.h"

#define STAGE_SLOTS 16 /* distinct names per commit: permall, marker, CA, certs */

static struct vtpm_staged staged[STAGE_SLOTS];
static size_t nstaged;
static unsigned long commits;

static struct vtpm_staged *find(const char *name)
{
	for (size_t i = 0; i < nstaged; i++)
		if (strcmp(staged[i].name, name) == 0)
			return &staged[i];
	return NULL;
}

static void wipe(struct vtpm_staged *s)
{
	if (s->data != NULL) {
		explicit_bzero(s->data, s->len); /* the TPM's seeds, the CA key */
		free(s->data);
	}
	s->data = NULL;
	s->len = 0;
}

/* Stages data (NULL = delete) under name; the data is copied. */
static int stage(const char *name, const uint8_t *data, size_t len)
{
	if (!vtpm_state_name_ok(name))
		return VTPM_STATE_IOERR;
	struct vtpm_staged *s = find(name);
	if (s == NULL && nstaged == STAGE_SLOTS) {
		printf("vtpm: more than %d blobs staged at once\n", STAGE_SLOTS);
		return VTPM_STATE_IOERR;
	}
	uint8_t *copy = NULL;
	if (data != NULL) {
		copy = malloc(len ? len : 1);
		if (copy == NULL)
			return VTPM_STATE_IOERR;
		memcpy(copy, data, len);
	}
	if (s == NULL) {
		s = &staged[nstaged++];
		strcpy(s->name, name);
	}
	wipe(s);
	s->data = copy;
	s->len = len;
	return VTPM_STATE_OK;
}

int vtpm_state_load(const char *name, uint8_t **data, size_t *len)
{
	if (!vtpm_state_name_ok(name))
		return VTPM_STATE_IOERR;
	struct vtpm_staged *s = find(name);
	if (s == NULL)
		return vtpm_backend_get(name, data, len);
	if (s->data == NULL)
		return VTPM_STATE_ABSENT;
	*data = malloc(s->len ? s->len : 1);
	if (*data == NULL)
		return VTPM_STATE_IOERR;
	memcpy(*data, s->data, s->len);
	*len = s->len;
	return VTPM_STATE_OK;
}

int vtpm_state_store(const char *name, const uint8_t *data, size_t len)
{
	static const uint8_t empty;
	return stage(name, data ? data : &empty, data ? len : 0);
}

int vtpm_state_remove(const char *name)
{
	return stage(name, NULL, 0);
}

int vtpm_state_pending(void)
{
	return nstaged > 0;
}

void vtpm_state_abort(void)
{
	for (size_t i = 0; i < nstaged; i++)
		wipe(&staged[i]);
	nstaged = 0;
}

int vtpm_state_commit(void)
{
	if (nstaged == 0)
		return VTPM_STATE_OK;
	int r = vtpm_backend_commit(staged, nstaged);
	vtpm_state_abort();
	if (r == VTPM_STATE_OK)
		commits++;
	return r == VTPM_STATE_OK ? VTPM_STATE_OK : VTPM_STATE_IOERR;
}

unsigned long vtpm_state_commits(void)
{
	return commits;
}
