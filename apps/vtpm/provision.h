/*
 * First-start provisioning, as a physical TPM arrives from its maker:
 * EKs (RSA-2048 and ECC P-256, EK profile templates) created, their
 * certificates and the CA certificate written to platform NV indices,
 * then the TPM shut down (TPM2_Shutdown(CLEAR)) so the caller can power
 * cycle it and the client's TPM2_Startup(CLEAR) works.
 */
#ifndef VTPM_PROVISION_H
#define VTPM_PROVISION_H

/* Needs a powered, freshly manufactured TPM. 0, or -1 (logged). */
int vtpm_provision(void);

#endif
