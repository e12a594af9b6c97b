/*
 * Endorsement keys as the TCG EK Credential Profile (v2.5, section 2.1.5.1,
 * "Low range" templates L-1 RSA-2048 and L-2 ECC NIST P-256) defines them:
 * the template for TPM2_CreatePrimary, and the public part parsed back out
 * of its TPMT_PUBLIC. Pure marshalling, unit-tested.
 */
#ifndef VTPM_EK_H
#define VTPM_EK_H

#include <stddef.h>
#include <stdint.h>

#include "marshal.h"

enum vtpm_ek_kind { VTPM_EK_RSA2048, VTPM_EK_ECC_P256 };

#define VTPM_EK_CERT_NV_RSA 0x01c00002u
#define VTPM_EK_CERT_NV_ECC 0x01c0000au
#define VTPM_EK_CA_CERT_NV 0x01c00100u /* EK certificate chain range, first index */

struct vtpm_ek_pub {
	enum vtpm_ek_kind kind;
	uint8_t n[256];   /* RSA modulus (big-endian) */
	uint32_t exponent; /* 0 in the TPM means 65537 */
	uint8_t x[32], y[32];
};

/* The profile's EK authPolicy: PolicySecret(TPM_RH_ENDORSEMENT). */
extern const uint8_t vtpm_ek_policy[32];

/* Writes the TPM2B_PUBLIC (size + TPMT_PUBLIC) of the kind's template. */
void vtpm_ek_template(struct tpm_wbuf *w, enum vtpm_ek_kind kind);

/*
 * Parses a TPMT_PUBLIC (without its TPM2B size) and checks that it is the
 * kind's EK: type, nameAlg, attributes, policy, parameters and key size.
 * Returns 0 and fills *out, or -1.
 */
int vtpm_ek_public_parse(const uint8_t *p, size_t n, enum vtpm_ek_kind kind,
			 struct vtpm_ek_pub *out);

#endif
