/*
 * The resource's JWE for the TEE key (docs/kbs.md, step 5, as Trustee's
 * ecdh_es_a256kw_p256): Z = ECDH(tee, epk); KEK = Concat KDF SHA-256;
 * CEK = AES-256 key unwrap; plaintext = A256GCM with AAD = the protected
 * string as sent. Z, KEK and CEK are zeroed on every path.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "b64.h"
#include "crypto.h"
#include "json.h"

#define JWE_HDR_MAX 512
#define JWE_CT_MAX 4096

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

static int str_member(const struct json_span *o, const char *key, char *out, size_t cap)
{
	struct json_span v;
	return json_member(o, key, &v) == 0 ? json_string(&v, out, cap, NULL) : -1;
}

/* The epk of the protected header, checked: alg, enc, a P-256 JWK. */
static int header_epk(const char *protected_b64, uint8_t point[65], char *err, size_t errlen)
{
	char hdr[JWE_HDR_MAX + 1], s[64];
	size_t n, xl, yl;
	struct json_span doc, epk;
	if (b64_decode(B64_URL, protected_b64, strlen(protected_b64), (uint8_t *)hdr, JWE_HDR_MAX,
	               &n))
		return fail(err, errlen, "the JWE protected header is not base64url");
	hdr[n] = 0;
	if (json_doc(hdr, n, &doc) || doc.type != JSON_OBJECT)
		return fail(err, errlen, "the JWE protected header is not a JSON object");
	if (str_member(&doc, "alg", s, sizeof(s)) || strcmp(s, "ECDH-ES+A256KW"))
		return fail(err, errlen, "the JWE alg is not ECDH-ES+A256KW");
	if (str_member(&doc, "enc", s, sizeof(s)) || strcmp(s, "A256GCM"))
		return fail(err, errlen, "the JWE enc is not A256GCM");
	if (json_member(&doc, "epk", &epk) || epk.type != JSON_OBJECT)
		return fail(err, errlen, "the JWE header has no epk");
	if (str_member(&epk, "kty", s, sizeof(s)) || strcmp(s, "EC") ||
	    str_member(&epk, "crv", s, sizeof(s)) || strcmp(s, "P-256"))
		return fail(err, errlen, "the JWE epk is not a P-256 key");
	point[0] = 4;
	if (str_member(&epk, "x", s, sizeof(s)) ||
	    b64_decode(B64_URL, s, strlen(s), point + 1, 32, &xl) || xl != 32 ||
	    str_member(&epk, "y", s, sizeof(s)) ||
	    b64_decode(B64_URL, s, strlen(s), point + 33, 32, &yl) || yl != 32)
		return fail(err, errlen, "the JWE epk coordinates are not 32 bytes each");
	return 0;
}

/* Z = the x coordinate of ECDH(tee, epk); the point is checked on the curve by OpenSSL. */
static int ecdh(const struct tee_key *k, const uint8_t point[65], uint8_t z[32])
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *dc = NULL;
	size_t zl = 32;
	int rc = -1;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0),
	    OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, 65), OSSL_PARAM_END};
	if (pc && EVP_PKEY_fromdata_init(pc) == 1 &&
	    EVP_PKEY_fromdata(pc, &peer, EVP_PKEY_PUBLIC_KEY, params) == 1 &&
	    (dc = EVP_PKEY_CTX_new(k->pkey, NULL)) && EVP_PKEY_derive_init(dc) == 1 &&
	    EVP_PKEY_derive_set_peer_ex(dc, peer, 1) == 1 && EVP_PKEY_derive(dc, z, &zl) == 1 &&
	    zl == 32)
		rc = 0;
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_free(peer);
	EVP_PKEY_CTX_free(pc);
	return rc;
}

static int concat_kdf(const uint8_t z[32], uint8_t kek[32])
{
	static const uint8_t pre[4] = {0, 0, 0, 1};
	static const uint8_t alg[] = "\0\0\0\x0e" "ECDH-ES+A256KW";
	static const uint8_t post[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
	         EVP_DigestUpdate(md, pre, sizeof(pre)) && EVP_DigestUpdate(md, z, 32) &&
	         EVP_DigestUpdate(md, alg, sizeof(alg) - 1) &&
	         EVP_DigestUpdate(md, post, sizeof(post)) && EVP_DigestFinal_ex(md, kek, &n) &&
	         n == 32;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

static int unwrap(const uint8_t kek[32], const uint8_t *wrapped, size_t wl, uint8_t cek[32])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t out[48];
	int n1 = 0, n2 = 0, ok = 0;
	if (c) {
		EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
		ok = wl == 40 && EVP_DecryptInit_ex(c, EVP_aes_256_wrap(), NULL, kek, NULL) &&
		     EVP_DecryptUpdate(c, out, &n1, wrapped, (int)wl) &&
		     EVP_DecryptFinal_ex(c, out + n1, &n2) && n1 + n2 == 32;
	}
	if (ok)
		memcpy(cek, out, 32);
	explicit_bzero(out, sizeof(out));
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

static int gcm_open(const uint8_t cek[32], const uint8_t iv[12], const char *aad,
                    const uint8_t *ct, size_t ctl, const uint8_t tag[16], uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, n2 = 0;
	int ok = c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) &&
	         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
	         EVP_DecryptInit_ex(c, NULL, NULL, cek, iv) &&
	         EVP_DecryptUpdate(c, NULL, &n, (const uint8_t *)aad, (int)strlen(aad)) &&
	         EVP_DecryptUpdate(c, out, &n, ct, (int)ctl) &&
	         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) &&
	         EVP_DecryptFinal_ex(c, out + n, &n2) > 0;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

int jwe_decrypt(const struct tee_key *k, const struct jwe_parts *j, uint8_t *out, size_t cap,
                size_t *outlen, char *err, size_t errlen)
{
	uint8_t point[65], z[32], kek[32], cek[32], wrapped[48], iv[16], tag[16];
	static uint8_t ct[JWE_CT_MAX];
	size_t wl, ivl, tl, ctl;
	int rc = -1;
	if (header_epk(j->protected_b64, point, err, errlen))
		return -1;
	if (b64_decode(B64_URL, j->encrypted_key, strlen(j->encrypted_key), wrapped,
	               sizeof(wrapped), &wl) || wl != 40 ||
	    b64_decode(B64_URL, j->iv, strlen(j->iv), iv, sizeof(iv), &ivl) || ivl != 12 ||
	    b64_decode(B64_URL, j->tag, strlen(j->tag), tag, sizeof(tag), &tl) || tl != 16 ||
	    b64_decode(B64_URL, j->ciphertext, strlen(j->ciphertext), ct, sizeof(ct), &ctl) ||
	    ctl > cap)
		return fail(err, errlen, "the JWE members have bad encodings or sizes");
	if (ecdh(k, point, z))
		fail(err, errlen, "ECDH with the JWE epk failed (not a P-256 point?)");
	else if (concat_kdf(z, kek))
		fail(err, errlen, "the Concat KDF failed");
	else if (unwrap(kek, wrapped, wl, cek))
		fail(err, errlen, "the content key does not unwrap (wrong TEE key or tampered)");
	else if (gcm_open(cek, iv, j->protected_b64, ct, ctl, tag, out))
		fail(err, errlen, "the resource does not decrypt (A256GCM tag mismatch)");
	else
		rc = 0;
	if (rc == 0)
		*outlen = ctl;
	else
		explicit_bzero(out, cap);
	explicit_bzero(z, sizeof(z));
	explicit_bzero(kek, sizeof(kek));
	explicit_bzero(cek, sizeof(cek));
	return rc;
}
