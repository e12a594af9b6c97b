/*
 * PKCS#7 SignedData for authenticated variables, with OpenSSL, as edk2's
 * CryptoPkg Pkcs7Verify / Pkcs7GetSigners do it: the blob may be a bare
 * SignedData (efitools) or a ContentInfo wrapping one (sbvarsign); the
 * content is detached (the bytes auth2_signed_bytes builds); the trust
 * anchor is one certificate taken from PK, KEK or db: no system CA
 * store, partial chains allowed, no validity-period check (there is no
 * trusted clock), any purpose.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "auth.h"

/* The SignedData as a PKCS7 object: ContentInfo as is, a bare SignedData wrapped (edk2
 * WrapPkcs7Data). */
static PKCS7 *p7_parse(const uint8_t *sig, size_t len)
{
	const unsigned char *p = sig;
	PKCS7 *p7;
	PKCS7_SIGNED *sd;

	if (sig == NULL || len == 0 || len > LONG_MAX)
		return NULL;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 != NULL) {
		if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
			return p7;
		PKCS7_free(p7);
		return NULL;
	}
	p = sig;
	sd = d2i_PKCS7_SIGNED(NULL, &p, (long)len);
	if (sd == NULL)
		return NULL;
	p7 = PKCS7_new();
	if (p7 == NULL || !PKCS7_set_type(p7, NID_pkcs7_signed)) {
		PKCS7_free(p7);
		PKCS7_SIGNED_free(sd);
		return NULL;
	}
	PKCS7_SIGNED_free(p7->d.sign);
	p7->d.sign = sd;
	return p7;
}

static X509 *x509_parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;

	if (der == NULL || len == 0 || len > LONG_MAX)
		return NULL;
	return d2i_X509(NULL, &p, (long)len);
}

bool auth_x509_parses(const uint8_t *der, size_t len)
{
	X509 *x = x509_parse(der, len);
	EVP_PKEY *key;
	bool ok;

	if (x == NULL) {
		ERR_clear_error();
		return false;
	}
	/* edk2 takes "has an RSA public key" as the test (RsaGetPublicKeyFromX509). */
	key = X509_get0_pubkey(x);
	ok = key != NULL && EVP_PKEY_base_id(key) == EVP_PKEY_RSA;
	X509_free(x);
	ERR_clear_error();
	return ok;
}

/* UEFI 2.10 §8.2.2: SHA-256 only, in digestAlgorithms and in every SignerInfo. */
static bool sha256_only(PKCS7 *p7)
{
	STACK_OF(X509_ALGOR) *mds = p7->d.sign->md_algs;
	STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(p7);
	int i;

	if (mds == NULL || sk_X509_ALGOR_num(mds) < 1 || sis == NULL ||
	    sk_PKCS7_SIGNER_INFO_num(sis) < 1)
		return false;
	for (i = 0; i < sk_X509_ALGOR_num(mds); i++)
		if (OBJ_obj2nid(sk_X509_ALGOR_value(mds, i)->algorithm) != NID_sha256)
			return false;
	for (i = 0; i < sk_PKCS7_SIGNER_INFO_num(sis); i++) {
		PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(sis, i);

		if (si->digest_alg == NULL || OBJ_obj2nid(si->digest_alg->algorithm) != NID_sha256)
			return false;
	}
	return true;
}

/*
 * The detached content as a BIO. Behind a buffering filter on purpose:
 * OpenSSL 3.0's PKCS7_verify copies a bare memory BIO into one of its own
 * and leaks that copy when the SignedData is refused early (found by
 * tests/fuzz/uefivars-auth); a filter BIO is used as given.
 */
static BIO *content_bio(const uint8_t *data, size_t len)
{
	BIO *mem = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL;
	BIO *buf = mem != NULL ? BIO_new(BIO_f_buffer()) : NULL;

	if (buf == NULL) {
		BIO_free(mem);
		return NULL;
	}
	return BIO_push(buf, mem);
}

bool auth_pkcs7_verify(const uint8_t *sig, size_t sig_len, const uint8_t *trusted,
                       size_t trusted_len, const uint8_t *data, size_t data_len)
{
	PKCS7 *p7 = p7_parse(sig, sig_len);
	X509 *anchor = x509_parse(trusted, trusted_len);
	X509_STORE *store = X509_STORE_new();
	BIO *in = content_bio(data, data_len);
	bool ok = false;

	if (p7 == NULL || anchor == NULL || store == NULL || in == NULL || !sha256_only(p7))
		goto out;
	if (!X509_STORE_add_cert(store, anchor) ||
	    !X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME) ||
	    !X509_STORE_set_purpose(store, X509_PURPOSE_ANY))
		goto out;
	ok = PKCS7_verify(p7, NULL, store, in, NULL, PKCS7_BINARY) == 1;
out:
	BIO_free_all(in);
	X509_STORE_free(store);
	X509_free(anchor);
	PKCS7_free(p7);
	ERR_clear_error();
	return ok;
}

static uint8_t *x509_der(X509 *x, size_t *len)
{
	unsigned char *buf = NULL;
	int n = i2d_X509(x, &buf);

	if (n <= 0)
		return NULL;
	*len = (size_t)n;
	return buf;
}

bool auth_pkcs7_signers(const uint8_t *sig, size_t sig_len, struct auth_signers *out)
{
	PKCS7 *p7 = p7_parse(sig, sig_len);
	STACK_OF(X509) * certs;
	int n;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	if (p7 == NULL)
		goto out;
	certs = p7->d.sign->cert;
	n = certs != NULL ? sk_X509_num(certs) : 0;
	if (n <= 0)
		goto out;
	out->signer = x509_der(sk_X509_value(certs, 0), &out->signer_len);
	out->top = x509_der(sk_X509_value(certs, n - 1), &out->top_len);
	ok = out->signer != NULL && out->top != NULL;
	if (!ok)
		auth_signers_free(out);
out:
	PKCS7_free(p7);
	ERR_clear_error();
	return ok;
}

void auth_signers_free(struct auth_signers *s)
{
	OPENSSL_free(s->signer);
	OPENSSL_free(s->top);
	memset(s, 0, sizeof(*s));
}
