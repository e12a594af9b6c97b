/*
 * Per-protocol guest-buffer rules (docs/svsm-routing.md, step 1): which
 * registers of a call name a guest buffer, and how long it is. Pure.
 */
#ifndef KEEL_SVSM_BUFFER_H
#define KEEL_SVSM_BUFFER_H

#include <stdint.h>

#include "svsm/call.h"

struct svsm_buffer {
	uint64_t gpa;
	uint32_t len; /* 0 = the call takes no buffer */
};

/* Largest buffer the router forwards: a whole message minus struct keel_svsm_call. */
#define SVSM_BUFFER_MAX (65536u - 40u)

/*
 * Decode the buffer of (protocol, call) from `regs`. SVSM_SUCCESS and *out
 * (len 0 if there is none), or the SVSM_ERR_* the guest gets: a misaligned
 * vTPM page is SVSM_ERR_INVALID_ADDRESS, a bad size SVSM_ERR_INVALID_PARAMETER.
 * Whether the range is guest memory is checked by the caller.
 */
uint32_t svsm_buffer_decode(uint32_t protocol, uint32_t call, const struct svsm_regs *regs,
			    struct svsm_buffer *out);

#endif
