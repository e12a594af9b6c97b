/*
 * The emulated platform's attestation report (docs/attestation-report.md):
 * pure code, built into the kernel (native) and into keel-hosted (hosted),
 * over BearSSL. The caller owns the key and wipes it.
 */
#ifndef KEEL_EMULATED_REPORT_H
#define KEEL_EMULATED_REPORT_H

#include <keel/snp_report.h>
#include <stdint.h>

/* Fills every unsigned field: version 2, VMPL 0, policy SMT|reserved (debug off). */
void emulated_report_fill(struct snp_report *r, const uint8_t report_data[64],
                          const uint8_t measurement[48], const uint8_t report_id[32]);

/*
 * ECDSA P-384/SHA-384 over bytes 0..0x29F with `scalar` (48 bytes,
 * big-endian), r and s written little-endian. 0 or -1 (bad key).
 */
int emulated_report_sign(struct snp_report *r, const uint8_t scalar[48]);

#endif
