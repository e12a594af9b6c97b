/*
 * Decoding of everything that reaches the vtpm on its router handle
 * (docs/vtpm.md): the channel message (an SVSM call, a platform signal or a
 * ping) and the SVSM_VTPM_CMD buffer inside an SVSM call. Pure functions
 * over byte buffers: no libtpms, no syscalls, so the fuzzer and the unit
 * tests call them directly.
 */
#ifndef VTPM_REQUEST_H
#define VTPM_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "vtpm_protocol.h"

/* Largest TPM command / response that fits in the page after its header. */
#define VTPM_MAX_COMMAND (VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER)
#define VTPM_MAX_RESPONSE (VTPM_BUFFER_SIZE - VTPM_RESPONSE_HEADER)

enum vtpm_msg_kind {
	VTPM_MSG_SVSM_CALL,
	VTPM_MSG_PLATFORM,
	VTPM_MSG_PING,
};

/* A decoded router message; pointers point into the message buffer. */
struct vtpm_msg {
	enum vtpm_msg_kind kind;
	uint32_t call;        /* SVSM call number (RAX[31:0]) */
	uint64_t rcx, rdx;
	const uint8_t *buf;   /* the guest buffer the router copied in */
	uint32_t buf_len;
	uint32_t signal;      /* VTPM_SIGNAL_* */
};

/* 0 if msg[0..n) is a well-formed router message, -1 otherwise. */
int vtpm_msg_decode(const void *msg, size_t n, struct vtpm_msg *out);

/* A decoded TPM_SEND_COMMAND request (SVSM spec, vTPM protocol, table 16). */
struct vtpm_cmd {
	const uint8_t *command; /* points into the page */
	uint32_t size;
};

/*
 * Checks the SVSM_VTPM_CMD buffer: exactly one page, cmd =
 * SVSM_VTPM_PLATFORM_SEND_COMMAND, locality 0, size within the page.
 * Returns SVSM_SUCCESS or SVSM_ERR_INVALID_PARAMETER (docs/vtpm.md).
 */
uint32_t vtpm_cmd_parse(const uint8_t *buf, size_t len, struct vtpm_cmd *out);

/*
 * Writes {u32 size; rsp} into page[0..cap) and returns the bytes written.
 * A response that does not fit, or is shorter than a TPM response header, is replaced by
 * a 10-byte TPM_RC_FAILURE response; never truncated. Returns 0 only if
 * cap cannot hold even that.
 */
size_t vtpm_rsp_encode(uint8_t *page, size_t cap, const uint8_t *rsp, size_t rsp_len);

/* A TPM 2.0 error response {TPM_ST_NO_SESSIONS, 10, rc} in out[10]. */
void vtpm_tpm_error_response(uint8_t out[10], uint32_t rc);

#define VTPM_TPM_RC_FAILURE 0x101u
#define VTPM_TPM_RESPONSE_HEADER 10u

#endif
