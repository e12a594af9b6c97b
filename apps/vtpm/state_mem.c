/*
 * Booted state backend: blobs in the task's heap. State lives as long as
 * the task (a reboot re-manufactures); storaged will replace this backend
 * (docs/vtpm.md).
 */
#include <stdlib.h>
#include <string.h>

#include "state.h"

#define STATE_SLOTS 8

struct blob {
	char name[VTPM_STATE_NAME_MAX + 1];
	uint8_t *data;
	size_t len;
};

static struct blob slots[STATE_SLOTS];

static struct blob *find(const char *name)
{
	for (size_t i = 0; i < STATE_SLOTS; i++)
		if (slots[i].data != NULL && strcmp(slots[i].name, name) == 0)
			return &slots[i];
	return NULL;
}

int vtpm_state_load(const char *name, uint8_t **data, size_t *len)
{
	if (!vtpm_state_name_ok(name))
		return VTPM_STATE_IOERR;
	struct blob *b = find(name);
	if (b == NULL)
		return VTPM_STATE_ABSENT;
	*data = malloc(b->len ? b->len : 1);
	if (*data == NULL)
		return VTPM_STATE_IOERR;
	memcpy(*data, b->data, b->len);
	*len = b->len;
	return VTPM_STATE_OK;
}

int vtpm_state_store(const char *name, const uint8_t *data, size_t len)
{
	if (!vtpm_state_name_ok(name))
		return VTPM_STATE_IOERR;
	struct blob *b = find(name);
	for (size_t i = 0; b == NULL && i < STATE_SLOTS; i++)
		if (slots[i].data == NULL)
			b = &slots[i];
	if (b == NULL)
		return VTPM_STATE_IOERR;
	uint8_t *copy = malloc(len ? len : 1);
	if (copy == NULL)
		return VTPM_STATE_IOERR;
	memcpy(copy, data, len);
	if (b->data != NULL) {
		explicit_bzero(b->data, b->len); /* the TPM's seeds live in here */
		free(b->data);
	}
	strcpy(b->name, name);
	b->data = copy;
	b->len = len;
	return VTPM_STATE_OK;
}

int vtpm_state_remove(const char *name)
{
	if (!vtpm_state_name_ok(name))
		return VTPM_STATE_IOERR;
	struct blob *b = find(name);
	if (b == NULL)
		return VTPM_STATE_OK;
	explicit_bzero(b->data, b->len);
	free(b->data);
	memset(b, 0, sizeof(*b));
	return VTPM_STATE_OK;
}
