/*
 * The TPM itself: libtpms behind a power switch. libtpms's NV callbacks
 * go to the state store (state.h), where a command's stores are staged;
 * service.c commits them before the command's response is returned.
 */
#ifndef VTPM_TPM_H
#define VTPM_TPM_H

#include <stddef.h>
#include <stdint.h>

/* Once per task, before anything else: callbacks, TPM 2.0, buffer size. */
int vtpm_tpm_setup(void);

/*
 * Powers on (TPMLIB_MainInit), loading the stored state. *fresh is set to
 * 1 if no state existed (libtpms just manufactured the TPM). Returns 0, or
 * -1 if libtpms refused (e.g. a corrupt state file: the TPM stays off and
 * nothing is stored). On when already on: nothing happens, 0.
 */
int vtpm_tpm_power_on(int *fresh);
/* Powers off (TPMLIB_Terminate); the state was committed by then. */
void vtpm_tpm_power_off(void);
int vtpm_tpm_is_on(void);

/*
 * Runs one TPM command. The response (at most cap bytes) goes to rsp and
 * its length to *rsp_len. Powered off, or on a libtpms failure, or if the
 * response does not fit, the response is a TPM_RC_FAILURE error.
 */
void vtpm_tpm_execute(const uint8_t *cmd, uint32_t len, uint8_t *rsp, size_t cap,
		      uint32_t *rsp_len);

/* Platform signals that do not change the power state. */
void vtpm_tpm_cancel(int on);
void vtpm_tpm_physical_presence(int on);
/* Number of permanent-state stores so far (for logs and tests). */
unsigned long vtpm_tpm_stores(void);

#endif
