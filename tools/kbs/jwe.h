/* The resource response's JWE: ECDH-ES+A256KW with A256GCM to the TEE's
 * P-256 key, as Trustee's kbs/src/jwe/mod.rs ecdh_es_a256kw_p256 builds it
 * (docs/kbs.md step 5). */
#ifndef KBS_JWE_H
#define KBS_JWE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Returns a new object {protected, encrypted_key, iv, ciphertext, tag}
 * encrypting pt[len] to the point (x, y), or NULL (err says why: an invalid
 * point, or an OpenSSL failure). */
json_t *kbs_jwe_encrypt(const uint8_t x[32], const uint8_t y[32], const uint8_t *pt, size_t len,
			char *err, size_t errlen);

/* The EC public key of (x, y) on P-256, checked on the curve; NULL if not. */
struct evp_pkey_st *kbs_p256_pubkey(const uint8_t x[32], const uint8_t y[32]);

#endif
