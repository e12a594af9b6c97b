/*
 * First-start provisioning, as a physical TPM arrives from its maker:
 * EKs (RSA-2048 and ECC P-256, EK profile templates) created, their
 * certificates and the CA certificate written to platform NV indices,
 * then the TPM shut down (TPM2_Shutdown(CLEAR)) so the caller can power
 * cycle it and the client's TPM2_Startup(CLEAR) works.
 */
#ifndef VTPM_PROVISION_H
#define VTPM_PROVISION_H

/* Blobs (state.h) that provisioning stages next to libtpms's permall. */
#define VTPM_PROVISIONED_BLOB "provisioned" /* marker: provisioning completed */
#define VTPM_EK_RSA_BLOB "ek-rsa.der"       /* the EK certificates, also in NV */
#define VTPM_EK_ECC_BLOB "ek-ecc.der"

/* Needs a powered, freshly manufactured TPM. 0, or -1 (logged). */
int vtpm_provision(void);

/*
 * The whole first start, as one atomic commit: needs a powered, freshly
 * manufactured TPM (vtpm_tpm_power_on reported fresh); provisions it,
 * powers it off, stages the "provisioned" marker and commits everything
 * staged (permall, EK certificates, a new EK CA, the marker) at once, so a
 * crash anywhere in it leaves no TPM at all rather than half of one. The
 * TPM is off afterwards. 0, or -1 (logged; nothing stored).
 */
int vtpm_manufacture(void);

#endif
