/*
 * The broker's identity (docs/kbs.md): the pin is checked before anything
 * else of the response is trusted, then the signature that binds the JWE
 * header (and so the ephemeral epk) to this session's nonce. A host that
 * relays to a broker of its own fails here, before any decryption.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int broker_verify(const uint8_t pin[32], const uint8_t *spki, size_t spki_len,
                  const uint8_t *sig, size_t sig_len, const char *protected_b64,
                  const char *nonce, char *err, size_t errlen)
{
	uint8_t got[32];
	unsigned int n = 0;
	if (!EVP_Digest(spki, spki_len, got, &n, EVP_sha256(), NULL) || n != 32) {
		snprintf(err, errlen, "cannot hash the broker key");
		return -1;
	}
	if (CRYPTO_memcmp(got, pin, 32)) {
		char want_hex[65], got_hex[65];
		hex(pin, 32, want_hex);
		hex(got, 32, got_hex);
		snprintf(err, errlen, "broker key does not match the pinned key (pin %s, got %s)",
		         want_hex, got_hex);
		return -1;
	}
	const unsigned char *p = spki;
	EVP_PKEY *key = d2i_PUBKEY(NULL, &p, (long)spki_len);
	int rc = -1;
	char group[32] = "";
	if (!key || p != spki + spki_len ||
	    !EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), NULL) ||
	    strcmp(group, "secp384r1")) {
		snprintf(err, errlen, "the pinned broker key is not a P-384 key");
		goto out;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (md && EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, key) == 1 &&
	    EVP_DigestVerifyUpdate(md, protected_b64, strlen(protected_b64)) == 1 &&
	    EVP_DigestVerifyUpdate(md, ".", 1) == 1 &&
	    EVP_DigestVerifyUpdate(md, nonce, strlen(nonce)) == 1 &&
	    EVP_DigestVerifyFinal(md, sig, sig_len) == 1)
		rc = 0;
	else
		snprintf(err, errlen, "the broker's signature (keel-kbs-sig) does not verify "
		                      "for this session's nonce");
	EVP_MD_CTX_free(md);
out:
	EVP_PKEY_free(key);
	return rc;
}
