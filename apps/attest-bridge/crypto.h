/*
 * The bridge's cryptography (libcrypto; booted: libcrypto.a), each piece
 * as docs/kbs.md states it byte for byte:
 *   tee_key.c   the ephemeral P-256 TEE key and its JWK coordinates
 *   jwe.c       ECDH-ES+A256KW (Concat KDF, AES key unwrap) + A256GCM
 *   broker_id.c the broker's identity: pin, then ECDSA-P384 signature
 *   binding.c   report_data = SHA-384(JCS runtime data) || 16 zeros; the ack MAC
 * Every secret buffer is zeroed by its owner (explicit_bzero).
 */
#ifndef ATTEST_CRYPTO_H
#define ATTEST_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define TEE_COORD_B64 44 /* base64url of 32 bytes (43) + NUL */

struct tee_key {
	void *pkey;             /* EVP_PKEY *, private */
	char x[TEE_COORD_B64];  /* base64url, no padding */
	char y[TEE_COORD_B64];
};

int tee_key_new(struct tee_key *k);
void tee_key_free(struct tee_key *k);

/*
 * Decrypt a flattened JWE (its members as strings) for the TEE key:
 * alg ECDH-ES+A256KW, enc A256GCM, epk a P-256 point. 0 or -1 (`err`).
 */
struct jwe_parts {
	const char *protected_b64; /* as sent: the AAD and the signed text */
	const char *encrypted_key, *iv, *ciphertext, *tag;
};
int jwe_decrypt(const struct tee_key *k, const struct jwe_parts *j, uint8_t *out, size_t cap,
                size_t *outlen, char *err, size_t errlen);

/*
 * The broker's identity (docs/kbs.md, "Broker identity"): SHA-256 of the
 * DER SPKI equals `pin` (checked FIRST), the key is P-384, and `sig`
 * verifies over `protected "." nonce`. 0, or -1 with `err` a whole
 * sentence for the log (pin mismatch names both digests).
 */
int broker_verify(const uint8_t pin[32], const uint8_t *spki, size_t spki_len,
                  const uint8_t *sig, size_t sig_len, const char *protected_b64,
                  const char *nonce, char *err, size_t errlen);

/* report_data for the nonce and TEE key (64 bytes). */
int binding_report_data(const char *nonce, const struct tee_key *k, uint8_t rd[64]);
/* HMAC-SHA256(ack_key, "keel-ack" || u64be boot || u64be generation). */
int binding_ack_mac(const uint8_t ack_key[32], uint64_t boot, uint64_t generation,
                    uint8_t mac[32]);

#endif
