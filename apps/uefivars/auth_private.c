/*
 * Private authenticated variables (time-based, not Secure Boot keys; UEFI
 * 2.10 §8.2.2): the first write pins the variable to its signer, later
 * writes must come from the same one. What is pinned is edk2's
 * CalculatePrivAuthVarSignChainSHA256Digest: SHA-256 over the signer
 * certificate's CommonName (the first certificate in the SignedData) and
 * the tbsCertificate of the top-level one (the last), kept in
 * uv_var.digest (edk2 keeps it in its "certdb" variable).
 */
#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth.h"

/* edk2 reads the CN into a CHAR8[128]: longer names abort the digest. */
#define CN_MAX 127

static bool common_name(const uint8_t *der, size_t len, char cn[CN_MAX + 1])
{
	const unsigned char *p = der;
	X509 *x = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
	unsigned char *utf8 = NULL;
	X509_NAME_ENTRY *e;
	int idx, n;
	bool ok = false;

	if (x == NULL)
		return false;
	idx = X509_NAME_get_index_by_NID(X509_get_subject_name(x), NID_commonName, -1);
	e = idx >= 0 ? X509_NAME_get_entry(X509_get_subject_name(x), idx) : NULL;
	n = e != NULL ? ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e)) : -1;
	if (n >= 0 && n <= CN_MAX) {
		memcpy(cn, utf8, (size_t)n);
		cn[n] = '\0';
		ok = true;
	}
	OPENSSL_free(utf8);
	X509_free(x);
	return ok;
}

/* The tbsCertificate TLV, in place: the first element of the Certificate SEQUENCE. */
static bool tbs_cert(const uint8_t *der, size_t len, const uint8_t **tbs, size_t *tbs_len)
{
	const unsigned char *p = der;
	long body;
	int tag, cls;

	if (len > LONG_MAX)
		return false;
	if (ASN1_get_object(&p, &body, &tag, &cls, (long)len) & 0x80 || tag != V_ASN1_SEQUENCE)
		return false;
	*tbs = p;
	if (ASN1_get_object(&p, &body, &tag, &cls, (long)(der + len - p)) & 0x80 ||
	    tag != V_ASN1_SEQUENCE)
		return false;
	*tbs_len = (size_t)(p - *tbs) + (size_t)body;
	return true;
}

bool auth_private_digest(const struct auth_signers *s, uint8_t digest[32])
{
	char cn[CN_MAX + 1];
	const uint8_t *tbs;
	size_t tbs_len;
	EVP_MD_CTX *ctx;
	bool ok;

	if (!common_name(s->signer, s->signer_len, cn) ||
	    !tbs_cert(s->top, s->top_len, &tbs, &tbs_len)) {
		ERR_clear_error();
		return false;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, cn, strlen(cn)) && EVP_DigestUpdate(ctx, tbs, tbs_len) &&
	     EVP_DigestFinal_ex(ctx, digest, NULL);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}
