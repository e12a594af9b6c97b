/*
 * The TPM front ends' adapter over the guest port's router path
 * (svsm_port.h, docs/svsm-routing.md): a TPM command becomes an
 * SVSM_VTPM_CMD call with its page in a window, answered by the kernel's
 * router code (kernel/svsm/forward.c: buffer rule, copy in/out, reply
 * checks) exactly as a guest's call; platform signals become VTPM_OP_PLATFORM
 * messages on the vtpm task's router channel (no SVSM call carries them).
 * The protocol number is configured (keel-hosted --tpm-svsm-protocol,
 * default 2). One caller at a time (the front-end thread).
 */
#ifndef KEEL_HOSTED_VTPM_ROUTER_H
#define KEEL_HOSTED_VTPM_ROUTER_H

#include <stddef.h>
#include <stdint.h>

/* Largest TPM response the page can carry back. */
#define VTPM_ROUTER_RSP_MAX (4096u - 4u)

/*
 * Sends one TPM command; on success (0) the response is in rsp[0..*rsp_len).
 * -1: the service refused or is gone; `err` says which (the caller answers
 * the client with a TPM error response or closes the connection).
 */
int vtpm_router_command(uint8_t locality, const uint8_t *cmd, uint32_t len,
			uint8_t *rsp, uint32_t *rsp_len, char *err, size_t err_len);

/*
 * Called by the front end thread before it routes a client's command: the
 * thread keeps to that client's CPU and the vtpm task follows the thread
 * (docs/hosted.md, "Channel transport"); KEEL_HOSTED_FOLLOW=0 turns it off.
 */
void vtpm_router_follow_client(int client_fd);

/* The SVSM protocol number the TPM commands are sent as (default SVSM_VTPM_PROTOCOL). */
void vtpm_router_set_protocol(uint32_t protocol);
uint32_t vtpm_router_protocol(void);

/* Sends one VTPM_SIGNAL_*; 0 and *status = the service's status, or -1 with `err`. */
int vtpm_router_signal(int fd, uint32_t signal, int32_t *status, char *err, size_t err_len);

/* A 10-byte TPM 2.0 error response (tag TPM_ST_NO_SESSIONS) with `rc`. */
void vtpm_error_response(uint8_t out[10], uint32_t rc);

#define TPM_RC_FAILURE 0x101u
#define TPM_RC_LOCALITY 0x907u

#endif
