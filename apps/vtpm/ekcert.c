/*
 * EK certificates and the CA that signs them (ekcert.h). Fields follow the
 * TCG EK Credential Profile 2.x section 3.2 as far as practical: v3, empty
 * subject, critical subjectAltName with the TPM manufacturer/model/version,
 * keyUsage keyEncipherment (RSA) / keyAgreement (ECC), basicConstraints
 * CA:FALSE, EKU tcg-kp-EKCertificate, no expiry (99991231235959Z).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ekcert.h"

#define NO_EXPIRY "99991231235959Z"

EVP_PKEY *vtpm_ek_pkey(const struct vtpm_ek_pub *ek)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t point[65];
	int ok = b != NULL;
	if (ok && ek->kind == VTPM_EK_RSA2048) {
		n = BN_bin2bn(ek->n, sizeof(ek->n), NULL);
		e = BN_new();
		ok = n && e && BN_set_word(e, ek->exponent ? ek->exponent : 65537) &&
		     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n) &&
		     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e);
	} else if (ok) {
		point[0] = 0x04; /* uncompressed */
		memcpy(point + 1, ek->x, 32);
		memcpy(point + 33, ek->y, 32);
		ok = OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
		     OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point));
	}
	ok = ok && (params = OSSL_PARAM_BLD_to_param(b)) != NULL;
	ok = ok && (ctx = EVP_PKEY_CTX_new_from_name(NULL, ek->kind == VTPM_EK_RSA2048 ? "RSA" : "EC",
						     NULL)) != NULL;
	ok = ok && EVP_PKEY_fromdata_init(ctx) == 1 &&
	     EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) == 1;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	BN_free(n);
	BN_free(e);
	return ok ? pk : NULL;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	int ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* Serial, version, validity: the parts every certificate here shares. */
static X509 *cert_skeleton(EVP_PKEY *subject_key)
{
	uint8_t serial[16];
	X509 *x = X509_new();
	BIGNUM *bn = NULL;
	ASN1_INTEGER *ai = NULL;
	int ok = x != NULL && RAND_bytes(serial, sizeof(serial)) == 1;
	serial[0] &= 0x7f; /* positive */
	serial[0] |= 0x01; /* and 16 bytes long */
	ok = ok && (bn = BN_bin2bn(serial, sizeof(serial), NULL)) != NULL &&
	     (ai = BN_to_ASN1_INTEGER(bn, NULL)) != NULL;
	ok = ok && X509_set_version(x, X509_VERSION_3) == 1 && X509_set_serialNumber(x, ai) == 1;
	ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
	     ASN1_TIME_set_string(X509_getm_notAfter(x), NO_EXPIRY) == 1;
	ok = ok && X509_set_pubkey(x, subject_key) == 1;
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* subjectAltName = dirName {tpmManufacturer, tpmModel, tpmVersion} (EK profile 3.2.9). */
static int add_tpm_san(X509 *x)
{
	static const char *const oid[3] = {"2.23.133.2.1", "2.23.133.2.2", "2.23.133.2.3"};
	static const char *const val[3] = {"id:49424D00", "Keel vTPM (libtpms)", "id:00000001"};
	X509_NAME *dn = X509_NAME_new();
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	int ok = dn && gens && gn;
	for (int i = 0; ok && i < 3; i++) {
		ASN1_OBJECT *o = OBJ_txt2obj(oid[i], 1);
		ok = o != NULL && X509_NAME_add_entry_by_OBJ(dn, o, MBSTRING_UTF8,
							     (const unsigned char *)val[i], -1, -1,
							     0) == 1;
		ASN1_OBJECT_free(o);
	}
	if (ok) {
		GENERAL_NAME_set0_value(gn, GEN_DIRNAME, dn);
		dn = NULL;
		ok = sk_GENERAL_NAME_push(gens, gn) > 0;
		gn = ok ? NULL : gn;
	}
	ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 1, X509V3_ADD_DEFAULT) == 1;
	X509_NAME_free(dn);
	GENERAL_NAME_free(gn);
	GENERAL_NAMES_free(gens);
	return ok ? 0 : -1;
}

int vtpm_ekcert_make(const struct vtpm_ca *ca, const struct vtpm_ek_pub *ek, uint8_t **der,
		     size_t *len)
{
	EVP_PKEY *pk = vtpm_ek_pkey(ek);
	X509 *x = pk ? cert_skeleton(pk) : NULL;
	int ok = x != NULL && X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) == 1;
	const char *usage = ek->kind == VTPM_EK_RSA2048 ? "critical,keyEncipherment"
							: "critical,keyAgreement";
	ok = ok && add_ext(x, ca->cert, NID_basic_constraints, "critical,CA:FALSE") == 0 &&
	     add_ext(x, ca->cert, NID_key_usage, usage) == 0 &&
	     add_ext(x, ca->cert, NID_ext_key_usage, "2.23.133.8.1") == 0 &&
	     add_ext(x, ca->cert, NID_authority_key_identifier, "keyid:always") == 0 &&
	     add_tpm_san(x) == 0;
	ok = ok && X509_sign(x, ca->key, EVP_sha256()) > 0 && vtpm_cert_der(x, der, len) == 0;
	X509_free(x);
	EVP_PKEY_free(pk);
	return ok ? 0 : -1;
}

int vtpm_cert_der(X509 *cert, uint8_t **der, size_t *len)
{
	unsigned char *out = NULL;
	int n = i2d_X509(cert, &out);
	if (n <= 0)
		return -1;
	*der = malloc((size_t)n);
	if (*der == NULL) {
		OPENSSL_free(out);
		return -1;
	}
	memcpy(*der, out, (size_t)n);
	OPENSSL_free(out);
	*len = (size_t)n;
	return 0;
}

int vtpm_ekca_generate(struct vtpm_ca *ca)
{
	ca->cert = NULL;
	ca->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = ca->key ? cert_skeleton(ca->key) : NULL;
	X509_NAME *name = x ? X509_get_subject_name(x) : NULL;
	int ok = name != NULL &&
		 X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
					    (const unsigned char *)"Keel", -1, -1, 0) == 1 &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					    (const unsigned char *)"Keel vTPM EK CA", -1, -1, 0) == 1;
	ok = ok && X509_set_issuer_name(x, name) == 1 &&
	     add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") == 0 &&
	     add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") == 0 &&
	     add_ext(x, x, NID_subject_key_identifier, "hash") == 0 &&
	     X509_sign(x, ca->key, EVP_sha256()) > 0;
	ca->cert = x;
	if (!ok) {
		vtpm_ekca_free(ca);
		return -1;
	}
	return 0;
}

void vtpm_ekca_free(struct vtpm_ca *ca)
{
	EVP_PKEY_free(ca->key); /* OpenSSL clears the private scalar as it frees it */
	X509_free(ca->cert);
	ca->key = NULL;
	ca->cert = NULL;
}
