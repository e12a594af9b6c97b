/*
 * libtpms glue (tpm.h). libtpms keeps the TPM in globals, so this file
 * holds the one TPM of the task; the task serves one caller at a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "request.h"
#include "state.h"
#include "tpm.h"

static int powered, permall_was_absent, physical_presence;
static unsigned long stores;

static TPM_RESULT nv_init(void)
{
	return TPM_SUCCESS;
}

/* libtpms frees *data. TPM_RETRY tells it "no such blob": manufacture. */
static TPM_RESULT nv_load(unsigned char **data, uint32_t *length, uint32_t tpm_number,
			  const char *name)
{
	uint8_t *d = NULL;
	size_t n = 0;
	(void)tpm_number;
	int r = vtpm_state_load(name, &d, &n);
	if (r == VTPM_STATE_ABSENT) {
		if (strcmp(name, "permall") == 0)
			permall_was_absent = 1;
		return TPM_RETRY;
	}
	if (r != VTPM_STATE_OK || n > UINT32_MAX) {
		free(d);
		printf("vtpm: state '%s' could not be loaded; the TPM stays off\n", name);
		return TPM_FAIL;
	}
	*data = d;
	*length = (uint32_t)n;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_store(const unsigned char *data, uint32_t length, uint32_t tpm_number,
			   const char *name)
{
	(void)tpm_number;
	if (vtpm_state_store(name, data, length) != VTPM_STATE_OK) {
		printf("vtpm: storing state '%s' failed\n", name);
		return TPM_FAIL;
	}
	stores++;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_delete(uint32_t tpm_number, const char *name, TPM_BOOL must_exist)
{
	(void)tpm_number;
	(void)must_exist; /* absent is fine: the outcome is the same */
	return vtpm_state_remove(name) == VTPM_STATE_OK ? TPM_SUCCESS : TPM_FAIL;
}

static TPM_RESULT io_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT io_locality(TPM_MODIFIER_INDICATOR *loc, uint32_t tpm_number)
{
	(void)tpm_number;
	*loc = 0; /* the request parser admits locality 0 only */
	return TPM_SUCCESS;
}

static TPM_RESULT io_pp(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = (TPM_BOOL)physical_presence;
	return TPM_SUCCESS;
}

int vtpm_tpm_setup(void)
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
	uint32_t min = 0, max = 0;
	if (TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) != TPM_SUCCESS ||
	    TPMLIB_RegisterCallbacks(&cbs) != TPM_SUCCESS)
		return -1;
	/* Commands and responses must fit the SVSM page after its header. */
	uint32_t got = TPMLIB_SetBufferSize(VTPM_MAX_COMMAND, &min, &max);
	printf("vtpm: libtpms %06x, I/O buffer %u bytes (libtpms allows %u..%u)\n",
	       (unsigned)TPMLIB_GetVersion(), (unsigned)got, (unsigned)min, (unsigned)max);
	return 0;
}

int vtpm_tpm_power_on(int *fresh)
{
	*fresh = 0;
	if (powered)
		return 0;
	permall_was_absent = 0;
	TPM_RESULT r = TPMLIB_MainInit();
	if (r != TPM_SUCCESS) {
		printf("vtpm: TPMLIB_MainInit failed (0x%x); the TPM is off\n", (unsigned)r);
		TPMLIB_Terminate();
		return -1;
	}
	powered = 1;
	*fresh = permall_was_absent;
	return 0;
}

void vtpm_tpm_power_off(void)
{
	if (!powered)
		return;
	TPMLIB_Terminate();
	powered = 0;
}

int vtpm_tpm_is_on(void)
{
	return powered;
}

void vtpm_tpm_execute(const uint8_t *cmd, uint32_t len, uint8_t *rsp, size_t cap,
		      uint32_t *rsp_len)
{
	unsigned char *out = NULL;
	uint32_t out_len = 0, out_cap = 0;
	*rsp_len = 0;
	if (cap < VTPM_TPM_RESPONSE_HEADER)
		return;
	if (powered) {
		/* libtpms may modify the command buffer (it decrypts in place). */
		unsigned char *copy = malloc(len ? len : 1);
		if (copy != NULL) {
			memcpy(copy, cmd, len);
			if (TPMLIB_Process(&out, &out_len, &out_cap, copy, len) != TPM_SUCCESS)
				out_len = 0;
			explicit_bzero(copy, len);
			free(copy);
		}
	}
	if (out != NULL && out_len >= VTPM_TPM_RESPONSE_HEADER && out_len <= cap) {
		memcpy(rsp, out, out_len);
		*rsp_len = out_len;
	} else {
		vtpm_tpm_error_response(rsp, VTPM_TPM_RC_FAILURE);
		*rsp_len = VTPM_TPM_RESPONSE_HEADER;
	}
	if (out != NULL) {
		explicit_bzero(out, out_cap);
		free(out);
	}
}

void vtpm_tpm_cancel(int on)
{
	/* libtpms clears the cancel flag itself after each command. */
	if (on && powered)
		TPMLIB_CancelCommand();
}

void vtpm_tpm_physical_presence(int on)
{
	physical_presence = on != 0;
}

unsigned long vtpm_tpm_stores(void)
{
	return stores;
}
