/* vtpm-client: SVSM-call plumbing to the vtpm's router handle (call.c). */
#ifndef VTPM_CLIENT_CALL_H
#define VTPM_CLIENT_CALL_H

#include <stddef.h>
#include <stdint.h>

#define VC_HANDLE 1u /* manifest: channel vtpm-client:1 vtpm:0 */

struct vc_result {
	uint64_t rax, rcx, rdx;
	uint32_t buf_len;
	const uint8_t *buf;
};

/* One SVSM call with an optional buffer; 0 if the reply is well formed. */
int vc_svsm(uint32_t call, const void *buf, uint32_t buf_len, struct vc_result *res);
/* Raw bytes in, reply op out (-1 on a failed call). */
long vc_raw(const void *msg, size_t len, uint32_t *op);
/* A platform signal; returns the status the vtpm reported (or -100). */
int32_t vc_signal(uint32_t signal);
/*
 * A TPM command through SVSM_VTPM_CMD. Returns the TPM response code and
 * its bytes (*rsp, *rsp_len), or 0xffffffff on an SVSM-level failure.
 */
uint32_t vc_tpm(const uint8_t *cmd, size_t len, const uint8_t **rsp, uint32_t *rsp_len);
/* Sends a page with a hand-set header (cmd, locality, size); returns RAX. */
uint64_t vc_page(uint32_t cmd, uint8_t locality, uint32_t size, uint32_t buf_len);

#endif
