/*
 * Base64 (RFC 4648): standard padded (keel-kbs-key, keel-kbs-sig, the
 * resource's key fields) and URL-safe unpadded (JWE and JWK members).
 * Strict: no whitespace, no stray padding, canonical trailing bits.
 */
#ifndef ATTEST_B64_H
#define ATTEST_B64_H

#include <stddef.h>
#include <stdint.h>

enum b64_kind { B64_STD, B64_URL };

/* Decoded length written to *outlen; -1 on bad input or over `cap`. */
int b64_decode(enum b64_kind kind, const char *in, size_t len, uint8_t *out, size_t cap,
               size_t *outlen);
/* NUL-terminated encoding; -1 if it does not fit in `cap`. */
int b64_encode(enum b64_kind kind, const uint8_t *in, size_t len, char *out, size_t cap);

#endif
