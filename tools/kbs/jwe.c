/* ECDH-ES+A256KW / A256GCM encryption with OpenSSL 3 (RFC 7518 §4.6, §5.3). */
#include "jwe.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"

#define ALG "ECDH-ES+A256KW"

EVP_PKEY *kbs_p256_pubkey(const uint8_t x[32], const uint8_t y[32])
{
	uint8_t pt[65];
	pt[0] = 0x04;
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0),
		OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt)),
		OSSL_PARAM_END,
	};
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) != 1)
		k = NULL;
	EVP_PKEY_CTX_free(ctx);
	if (k) {
		/* fromdata decodes the point; the public check proves it is on the curve. */
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
		int ok = c && EVP_PKEY_public_check(c) == 1;
		EVP_PKEY_CTX_free(c);
		if (!ok) {
			EVP_PKEY_free(k);
			k = NULL;
		}
	}
	return k;
}

/* Concat KDF (NIST SP 800-56A, RFC 7518 §4.6.2), one SHA-256 round, as Trustee. */
static void concat_kdf(const uint8_t z[32], uint8_t kek[32])
{
	static const uint8_t one[4] = {0, 0, 0, 1}, alglen[4] = {0, 0, 0, 14}, zero[4] = {0},
			     bits[4] = {0, 0, 1, 0};
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned n = 32;
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	EVP_DigestUpdate(c, one, 4);
	EVP_DigestUpdate(c, z, 32);
	EVP_DigestUpdate(c, alglen, 4);
	EVP_DigestUpdate(c, ALG, 14);
	EVP_DigestUpdate(c, zero, 4);
	EVP_DigestUpdate(c, zero, 4);
	EVP_DigestUpdate(c, bits, 4);
	EVP_DigestFinal_ex(c, kek, &n);
	EVP_MD_CTX_free(c);
}

static int ecdh(EVP_PKEY *mine, EVP_PKEY *peer, uint8_t z[32])
{
	size_t zl = 32;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(mine, NULL);
	int ok = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_derive_set_peer(c, peer) == 1 &&
		 EVP_PKEY_derive(c, z, &zl) == 1 && zl == 32;
	EVP_PKEY_CTX_free(c);
	return ok ? 0 : -1;
}

static int aes_kw(const uint8_t kek[32], const uint8_t cek[32], uint8_t out[40])
{
	int l1 = 0, l2 = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c)
		return -1;
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	int ok = EVP_EncryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) == 1 &&
		 EVP_EncryptUpdate(c, out, &l1, cek, 32) == 1 && EVP_EncryptFinal_ex(c, out + l1, &l2) == 1 &&
		 l1 + l2 == 40;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

static int aes_gcm(const uint8_t cek[32], const uint8_t iv[12], const char *aad, const uint8_t *pt,
		   size_t len, uint8_t *ct, uint8_t tag[16])
{
	int l = 0, l2 = 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int ok = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, cek, iv) == 1 &&
		 EVP_EncryptUpdate(c, NULL, &l, (const uint8_t *)aad, (int)strlen(aad)) == 1 &&
		 EVP_EncryptUpdate(c, ct, &l, pt, (int)len) == 1 && EVP_EncryptFinal_ex(c, ct + l, &l2) == 1 &&
		 EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

/* The protected header, base64url: {"alg","enc","epk":{crv,kty,x,y}} in
 * the order Trustee's ProtectedHeader serializes (sorted map). */
static char *protected_header(EVP_PKEY *eph)
{
	uint8_t pub[65];
	size_t pl = 0;
	if (EVP_PKEY_get_octet_string_param(eph, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &pl) != 1 ||
	    pl != 65 || pub[0] != 0x04)
		return NULL;
	char x[44], y[44], hdr[256];
	b64_url_encode(pub + 1, 32, x);
	b64_url_encode(pub + 33, 32, y);
	int n = snprintf(hdr, sizeof(hdr),
			 "{\"alg\":\"" ALG "\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\","
			 "\"x\":\"%s\",\"y\":\"%s\"}}",
			 x, y);
	char *out = malloc(b64_url_len((size_t)n));
	if (out)
		b64_url_encode((const uint8_t *)hdr, (size_t)n, out);
	return out;
}

static json_t *b64url_str(const uint8_t *p, size_t n)
{
	char *s = malloc(b64_url_len(n));
	if (!s)
		return NULL;
	b64_url_encode(p, n, s);
	json_t *j = json_string(s);
	free(s);
	return j;
}

json_t *kbs_jwe_encrypt(const uint8_t x[32], const uint8_t y[32], const uint8_t *pt, size_t len,
			char *err, size_t errlen)
{
	uint8_t z[32], kek[32], cek[32], wrapped[40], iv[12], tag[16];
	json_t *out = NULL;
	char *prot = NULL;
	uint8_t *ct = malloc(len + 1);
	EVP_PKEY *peer = kbs_p256_pubkey(x, y);
	EVP_PKEY *eph = peer ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") : NULL;
	if (!peer) {
		snprintf(err, errlen, "tee-pubkey is not a point on P-256");
		goto done;
	}
	if (!ct || !eph || ecdh(eph, peer, z) || RAND_bytes(cek, 32) != 1 || RAND_bytes(iv, 12) != 1) {
		snprintf(err, errlen, "JWE: key agreement failed");
		goto done;
	}
	concat_kdf(z, kek);
	prot = protected_header(eph);
	if (!prot || aes_kw(kek, cek, wrapped) || aes_gcm(cek, iv, prot, pt, len, ct, tag)) {
		snprintf(err, errlen, "JWE: encryption failed");
		goto done;
	}
	out = json_pack("{s:s, s:o, s:o, s:o, s:o}", "protected", prot, "encrypted_key", b64url_str(wrapped, 40),
			"iv", b64url_str(iv, 12), "ciphertext", b64url_str(ct, len), "tag", b64url_str(tag, 16));
	if (!out)
		snprintf(err, errlen, "JWE: out of memory");
done:
	OPENSSL_cleanse(z, sizeof(z));
	OPENSSL_cleanse(kek, sizeof(kek));
	OPENSSL_cleanse(cek, sizeof(cek));
	free(prot);
	free(ct);
	EVP_PKEY_free(peer);
	EVP_PKEY_free(eph);
	return out;
}
