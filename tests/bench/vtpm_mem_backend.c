/*
 * The bench's "vTPM without storaged" (tests/bench/vtpm-store-bench.sh):
 * the vtpm's state backend (apps/vtpm/state_backend.h) as blobs in the
 * process's memory, so the same vtpm code runs with no storage behind it.
 * Built only as build/hosted/vtpm-mem; nothing survives the process.
 */
#include <stdlib.h>
#include <string.h>

#include "../../apps/vtpm/state_backend.h"

#define SLOTS 16

static struct vtpm_staged blobs[SLOTS];

static struct vtpm_staged *find(const char *name)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (blobs[i].name[0] != '\0' && strcmp(blobs[i].name, name) == 0)
			return &blobs[i];
	return NULL;
}

int vtpm_backend_get(const char *name, uint8_t **data, size_t *len)
{
	struct vtpm_staged *b = find(name);
	if (b == NULL)
		return VTPM_STATE_ABSENT;
	*data = malloc(b->len ? b->len : 1);
	if (*data == NULL)
		return VTPM_STATE_IOERR;
	memcpy(*data, b->data, b->len);
	*len = b->len;
	return VTPM_STATE_OK;
}

int vtpm_backend_commit(const struct vtpm_staged *changes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vtpm_staged *b = find(changes[i].name);
		for (size_t j = 0; b == NULL && j < SLOTS; j++)
			if (blobs[j].name[0] == '\0')
				b = &blobs[j];
		if (b == NULL)
			return VTPM_STATE_IOERR;
		free(b->data);
		memset(b, 0, sizeof(*b));
		if (changes[i].data == NULL)
			continue;
		b->data = malloc(changes[i].len ? changes[i].len : 1);
		if (b->data == NULL)
			return VTPM_STATE_IOERR;
		memcpy(b->data, changes[i].data, changes[i].len);
		b->len = changes[i].len;
		strcpy(b->name, changes[i].name);
	}
	return VTPM_STATE_OK;
}
