/*
 * What a user needs to verify this TPM's EK certificates, made visible at
 * every start (and by keel-state manufacture-tpm): the SHA-256 fingerprints
 * of the EK certificates and of the EK CA certificate in the log, and the
 * certificates themselves through the mode's vtpm_publish_file:
 *   hosted (host_files.c)   files in $KEEL_STATE_DIR (ek-ca.pem, ek-rsa.der, ...)
 *   booted (booted_hooks.c) nothing: the log names NV 0x01c00100 for the CA
 *   keel-state              files in --out DIR, paths printed
 */
#ifndef VTPM_PUBLISH_H
#define VTPM_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

/* Logs and publishes ek-rsa, ek-ecc and ek-ca from the state store. 0 or -1 (logged). */
int vtpm_publish_ek(void);
/* Mode hook: publish the certificate `der` as BASE.der and BASE.pem. */
void vtpm_publish_file(const char *base, const uint8_t *der, size_t len);
/* Shared by the hosted hook and keel-state: writes DIR/BASE.der and DIR/BASE.pem (0644). 0 or -1
 * (logged). */
int vtpm_publish_write(const char *dir, const char *base, const uint8_t *der, size_t len);

#endif
