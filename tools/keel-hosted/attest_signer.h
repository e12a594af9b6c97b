/*
 * keel-hosted's emulated attestation (docs/attestation-report.md, "Hosted"):
 * the emulated VCEK key lives in the launcher, never in a task. Each task
 * with cap=attest gets one end of a SOCK_SEQPACKET pair at fd
 * KEEL_HOSTED_ATTEST_FD (syscalls/hosted/hosted.h); a launcher thread
 * answers each 64-byte report_data packet with the 1184-byte signed report.
 */
#ifndef KEEL_ATTEST_SIGNER_H
#define KEEL_ATTEST_SIGNER_H

#include <stdint.h>

/* The measurement reports carry (--launch-digest); zeros if never set. */
void attest_signer_set_digest(const uint8_t digest[48]);

/* A new pair for one task: returns the task's end (CLOEXEC, parked), -1 on error. */
int attest_signer_add(void);

/* After the tasks are forked: closes the tasks' ends here, starts the thread. 0 or -1. */
int attest_signer_start(void);

#endif
