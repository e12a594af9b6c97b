/* The broker's static identity: an ECDSA P-384 key (`kbs --identity-key`)
 * whose DER SubjectPublicKeyInfo the resource response carries and whose
 * SHA-256 is the pin attest-bridge checks (docs/kbs.md "Broker identity";
 * the design follows seeds/003: a static key signs the ephemeral one). */
#ifndef KBS_IDENTITY_H
#define KBS_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

struct kbs_identity {
	struct evp_pkey_st *key;
	uint8_t spki[256];
	size_t spki_len;
	char spki_b64[352];
	char pin[65];
};

/* Loads a PEM private key (must be P-384). */
int kbs_identity_load(const char *path, struct kbs_identity *id, char *err, size_t errlen);
/* Creates a new P-384 key in path (mode 0600, refuses to overwrite). */
int kbs_identity_create(const char *path, struct kbs_identity *id, char *err, size_t errlen);
void kbs_identity_free(struct kbs_identity *id);
/* DER ECDSA-SHA384 signature of msg, base64 (standard) into out[cap]. */
int kbs_identity_sign_b64(const struct kbs_identity *id, const char *msg, size_t len, char *out, size_t cap);

#endif
