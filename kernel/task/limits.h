/*
 * The manifest's and the SVSM router's limits, in one place: the parser
 * checks against these and prints them in its messages (docs/manifest.md).
 * Pure constants; included by kernel, host and test builds alike.
 */
#ifndef KEEL_TASK_LIMITS_H
#define KEEL_TASK_LIMITS_H

#include <keel/msg.h>

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
 * Largest guest buffer the router forwards: one channel message
 * (KEEL_MSG_MAX_PAYLOAD after the 8-byte header) minus the rest of
 * struct keel_svsm_call (40 bytes).
 */
#define SVSM_BUFFER_MAX (KEEL_MSG_MAX_PAYLOAD - 40u)
#define SVSM_PAGE_SIZE 4096u

#endif
