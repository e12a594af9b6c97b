/*
 * The EK public for guest attestation (SVSM protocol 1, served by
 * attest-bridge): VTPM_OP_EKPUB on the vtpm's handle slot 2
 * (VTPM_HANDLE_EKPUB, vtpm_protocol.h). The answer is the RSA-2048 EK's
 * TPMT_PUBLIC exactly as TPM2_CreatePrimary returns it, the vTPM entry of
 * the services manifest as COCONUT-SVSM puts it there.
 */
#ifndef VTPM_EKPUB_SERVICE_H
#define VTPM_EKPUB_SERVICE_H

#include <stddef.h>
#include <stdint.h>

/* One request in (`n` bytes), the whole reply message out; its length (0: none fits). */
size_t vtpm_ekpub_handle(const void *in, size_t n, void *out, size_t cap);

/*
 * The TPMT_PUBLIC of the RSA-2048 EK whose public key is `der` (an EK
 * certificate, DER): the profile's template with unique = the modulus.
 * Its length, or 0 (not an RSA-2048 EK certificate, or cap too small).
 */
size_t vtpm_ekpub_from_cert(const uint8_t *der, size_t len, uint8_t *out, size_t cap);

#endif
