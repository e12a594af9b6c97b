/*
 * In-memory NVRAM for libtpms (tpm-smoke only): a few named blobs kept in
 * the task's heap, so TPM2 state survives between commands of one run.
 */
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "nvram.h"

#define NV_SLOTS 8
#define NV_NAME_MAX 32

struct nv_blob {
	char name[NV_NAME_MAX];
	unsigned char *data;
	uint32_t len;
};

static struct nv_blob nv[NV_SLOTS];

static struct nv_blob *nv_find(const char *name)
{
	for (size_t i = 0; i < NV_SLOTS; i++)
		if (nv[i].data != NULL && strcmp(nv[i].name, name) == 0)
			return &nv[i];
	return NULL;
}

static TPM_RESULT nv_init(void)
{
	return TPM_SUCCESS;
}

/* libtpms takes ownership of *data (it frees it). TPM_RETRY = "no such blob". */
static TPM_RESULT nv_load(unsigned char **data, uint32_t *length, uint32_t tpm_number,
			  const char *name)
{
	(void)tpm_number;
	struct nv_blob *b = nv_find(name);
	if (b == NULL)
		return TPM_RETRY;
	*data = malloc(b->len ? b->len : 1);
	if (*data == NULL)
		return TPM_FAIL;
	memcpy(*data, b->data, b->len);
	*length = b->len;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_store(const unsigned char *data, uint32_t length, uint32_t tpm_number,
			   const char *name)
{
	(void)tpm_number;
	if (strlen(name) >= NV_NAME_MAX)
		return TPM_FAIL;
	struct nv_blob *b = nv_find(name);
	for (size_t i = 0; b == NULL && i < NV_SLOTS; i++)
		if (nv[i].data == NULL)
			b = &nv[i];
	if (b == NULL)
		return TPM_FAIL;
	unsigned char *copy = malloc(length ? length : 1);
	if (copy == NULL)
		return TPM_FAIL;
	memcpy(copy, data, length);
	free(b->data);
	strcpy(b->name, name);
	b->data = copy;
	b->len = length;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_delete(uint32_t tpm_number, const char *name, TPM_BOOL must_exist)
{
	(void)tpm_number;
	struct nv_blob *b = nv_find(name);
	if (b == NULL)
		return must_exist ? TPM_FAIL : TPM_SUCCESS;
	free(b->data);
	memset(b, 0, sizeof(*b));
	return TPM_SUCCESS;
}

static TPM_RESULT io_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT io_locality(TPM_MODIFIER_INDICATOR *loc, uint32_t tpm_number)
{
	(void)tpm_number;
	*loc = 0;
	return TPM_SUCCESS;
}

static TPM_RESULT io_pp(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = 1;
	return TPM_SUCCESS;
}

int nvram_register(void)
{
	static struct libtpms_callbacks cbs = {
		.sizeOfStruct = sizeof(struct libtpms_callbacks),
		.tpm_nvram_init = nv_init,
		.tpm_nvram_loaddata = nv_load,
		.tpm_nvram_storedata = nv_store,
		.tpm_nvram_deletename = nv_delete,
		.tpm_io_init = io_init,
		.tpm_io_getlocality = io_locality,
		.tpm_io_getphysicalpresence = io_pp,
	};
	return TPMLIB_RegisterCallbacks(&cbs) == TPM_SUCCESS ? 0 : -1;
}

size_t nvram_bytes(void)
{
	size_t total = 0;
	for (size_t i = 0; i < NV_SLOTS; i++)
		total += nv[i].data ? nv[i].len : 0;
	return total;
}
