/* Base64 for the KBS wire format (docs/kbs.md): standard padded (nonce,
 * report, DER blobs, Keel members) and URL-safe unpadded (JWK and JWE
 * members, RFC 7515 §2). Decoders are strict: a wrong alphabet, bad padding
 * or non-zero trailing bits is an error, so one value has one encoding. */
#ifndef KBS_B64_H
#define KBS_B64_H

#include <stddef.h>
#include <stdint.h>

/* Encoded length including the NUL. */
size_t b64_std_len(size_t n);
size_t b64_url_len(size_t n);
/* Write the encoding of in[n] and a NUL into out (b64_*_len(n) bytes). */
void b64_std_encode(const uint8_t *in, size_t n, char *out);
void b64_url_encode(const uint8_t *in, size_t n, char *out);
/* Decode s[slen] into out (at most cap bytes); returns the length or -1. */
long b64_std_decode(const char *s, size_t slen, uint8_t *out, size_t cap);
long b64_url_decode(const char *s, size_t slen, uint8_t *out, size_t cap);

#endif
