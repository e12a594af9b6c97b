/*
 * A guest, the kernel's SVSM router (kernel/svsm/, with the manifest's
 * rcx-desc rules for protocol 1) and attest-bridge's guest attestation
 * (apps/attest-bridge/guest_*.c) in one host process: the fake guest
 * memory, the router's hooks, and fakes of the vtpm channel and of
 * keel_attest_report. Shared by the unit test and the fuzz target.
 */
#ifndef TESTS_GUEST_HARNESS_H
#define TESTS_GUEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "svsm/call.h"

#define H_GBASE 0x100000ull
#define H_GSIZE 0x20000ull
extern uint8_t h_gmem[H_GSIZE];

/* What the fakes do. */
extern int h_vtpm_mode;   /* 0 answers h_ekpub, 1 error reply, 2 channel gone */
extern int h_report_mode; /* 0 a report (report_data at 0x50), 1 KEEL_ENOTSUP */
extern const uint8_t h_ekpub[];
extern const size_t h_ekpub_len;
extern int h_service_calls;

/* The router with protocol 1's rules from the manifest text (0 on success). */
int h_setup(void);
struct svsm_regs h_call(uint32_t call, uint64_t rcx);

#endif
