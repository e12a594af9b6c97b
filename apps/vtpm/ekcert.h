/*
 * EK certificates (TCG EK Credential Profile 2.x, section 3) and the local
 * CA that signs them. The CA comes from vtpm_ekca_obtain (ekca_store.c):
 * a mode's outside CA if one is configured (vtpm_ekca_external: hosted
 * KEEL_VTPM_EK_CA_KEY/_CERT, host_files.c), else the CA kept in the state
 * store (blobs ekca.key / ekca.der, so the same CA signs across reboots
 * and re-manufactures), else a new one staged there, committed with the
 * manufacture it signs for.
 * The caller frees the CA with vtpm_ekca_free as soon as it has signed, which
 * wipes the private key (OpenSSL cleanses key material when it frees it).
 */
#ifndef VTPM_EKCERT_H
#define VTPM_EKCERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ek.h"

struct vtpm_ca {
	EVP_PKEY *key;
	X509 *cert;
};

/* Gets the CA (see above). 0 or -1 (logged). */
int vtpm_ekca_obtain(struct vtpm_ca *ca);
/* Mode hook: 1 and *ca set if the mode configures an outside CA, 0 if not, -1 (logged). */
int vtpm_ekca_external(struct vtpm_ca *ca);
/* A fresh ECDSA P-256 CA with a self-signed certificate. */
int vtpm_ekca_generate(struct vtpm_ca *ca);
void vtpm_ekca_free(struct vtpm_ca *ca);

/* DER of an EK certificate for `ek` signed by `ca`; *der is malloc'd. */
int vtpm_ekcert_make(const struct vtpm_ca *ca, const struct vtpm_ek_pub *ek, uint8_t **der,
		     size_t *len);
/* DER of any certificate; *der is malloc'd. */
int vtpm_cert_der(X509 *cert, uint8_t **der, size_t *len);
/* The EK's public key as an OpenSSL key (used by the certificate and tests). */
EVP_PKEY *vtpm_ek_pkey(const struct vtpm_ek_pub *ek);

#endif
