/*
 * keel-hosted's router role for the vTPM (docs/svsm-routing.md): TPM
 * commands become SVSM_VTPM_CMD calls (struct keel_svsm_call with one 4 KiB
 * page in the format of apps/vtpm/vtpm_protocol.h), platform signals become
 * VTPM_OP_PLATFORM messages, both on the launcher's end of the vtpm task's
 * router channel (slot KEEL_HANDLE_ROUTER), in the hosted channel framing
 * (syscalls/hosted/hosted.h). One caller at a time.
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
int vtpm_router_command(int fd, uint8_t locality, const uint8_t *cmd, uint32_t len,
			uint8_t *rsp, uint32_t *rsp_len, char *err, size_t err_len);

/*
 * Called by the front end thread before it routes a client's command: the
 * thread keeps to that client's CPU and the vtpm task follows the thread
 * (docs/hosted.md, "Channel transport"); KEEL_HOSTED_FOLLOW=0 turns it off.
 */
void vtpm_router_follow_client(int client_fd);

/* Sends one VTPM_SIGNAL_*; 0 and *status = the service's status, or -1 with `err`. */
int vtpm_router_signal(int fd, uint32_t signal, int32_t *status, char *err, size_t err_len);

/* A 10-byte TPM 2.0 error response (tag TPM_ST_NO_SESSIONS) with `rc`. */
void vtpm_error_response(uint8_t out[10], uint32_t rc);

#define TPM_RC_FAILURE 0x101u
#define TPM_RC_LOCALITY 0x907u

#endif
