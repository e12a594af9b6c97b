/*
 * The manifest's and the SVSM router's limits, in one place: the parser
 * checks against these and prints them in its messages (docs/manifest.md).
 * Pure constants; included by kernel, host and test builds alike.
 */
#ifndef KEEL_TASK_LIMITS_H
#define KEEL_TASK_LIMITS_H

#include <keel/msg.h>
#include <keel/svsm.h>

#define MANIFEST_MAX_TASKS 16
#define MANIFEST_MAX_CHANNELS 64
#define MANIFEST_MAX_DEVICES 8
#define MANIFEST_MAX_BUFFER_RULES 8 /* buffer= fields per task */
#define MANIFEST_NAME_MAX 32        /* including NUL */
#define MANIFEST_ARG_MAX 256        /* including NUL: room for a pinned key digest and a URL */
/*
 * data=ENTRY: the largest data file (bytes; at least 1). Booted it is part
 * of the measured bundle (every page costs launch time and IGVM size) and
 * mapped read-only at USER_DATA_BASE; 8 MiB holds any edk2 varstore
 * (OVMF_VARS_4M.ms.fd is 540672 bytes). igvm-build, the kernel and
 * keel-hosted all check it.
 */
#define MANIFEST_DATA_MAX (8u << 20)

/* SVSM protocol numbers a task may serve: any 32-bit number but 0 (core). */
#define MANIFEST_PROTOCOL_MIN 1u
#define MANIFEST_PROTOCOL_MAX 0xffffffffu

/*
 * Largest guest buffer an `rcx+rdx` rule may name: 256 KiB
 * (SVSM_LARGE_BUFFER_MAX; UEFI-MM buffers are 64 KiB to 256 KiB). Above
 * one channel message (SVSM_INLINE_MAX) the router moves it in parts
 * (keel/svsm.h, KEEL_OP_SVSM_PART; kernel/svsm/forward.c).
 */
#define SVSM_BUFFER_MAX SVSM_LARGE_BUFFER_MAX
/*
 * An `rcx-desc` descriptor and the buffers it names, together: one
 * channel message, as before parts existed. The services that use
 * descriptors (attestation) take one message and were never taught parts;
 * keeping their limit keeps what their guests get (INVALID_PARAMETER from
 * the router) unchanged.
 */
#define SVSM_DESC_TOTAL_MAX SVSM_INLINE_MAX
#define SVSM_PAGE_SIZE 4096u

#endif
