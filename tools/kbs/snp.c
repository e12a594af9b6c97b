/* Report checks and chain verification with OpenSSL. */
#include "snp.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static X509 *load_pem(const char *dir, const char *name, bool optional, char *err, size_t errlen)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!optional)
			fail(err, errlen, "cannot open %s", path);
		return NULL;
	}
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x)
		fail(err, errlen, "%s is not a PEM certificate", path);
	return x;
}

int snp_chain_load(const char *dir, bool emulated, struct snp_chain *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->emulated = emulated;
	snprintf(out->dir, sizeof(out->dir), "%s", dir);
	out->ark = load_pem(dir, "ark.pem", false, err, errlen);
	out->ask = out->ark ? load_pem(dir, "ask.pem", false, err, errlen) : NULL;
	if (!out->ark || !out->ask) {
		snp_chain_free(out);
		return -1;
	}
	err[0] = '\0';
	out->vcek = load_pem(dir, "vcek.pem", true, err, errlen);
	if (!out->vcek && err[0]) {
		snp_chain_free(out);
		return -1;
	}
	return 0;
}

void snp_chain_free(struct snp_chain *c)
{
	X509_free(c->ark);
	X509_free(c->ask);
	X509_free(c->vcek);
	c->ark = c->ask = c->vcek = NULL;
}

int snp_report_check_fields(const uint8_t *r, bool allow_debug, char *err, size_t errlen)
{
	uint32_t version = le32(r + SNP_OFF_VERSION);
	uint64_t policy = le64(r + SNP_OFF_POLICY);
	if (version < 2 || version > 5)
		return fail(err, errlen, "report version %u not in 2..5", version);
	if (le32(r + SNP_OFF_SIG_ALGO) != SNP_SIG_ALGO_ECDSA_P384_SHA384)
		return fail(err, errlen, "report signature_algo %u is not ECDSA P-384", le32(r + SNP_OFF_SIG_ALGO));
	if (le32(r + SNP_OFF_VMPL) != 0)
		return fail(err, errlen, "report VMPL %u is not 0", le32(r + SNP_OFF_VMPL));
	if ((policy & SNP_POLICY_DEBUG) && !allow_debug)
		return fail(err, errlen, "guest policy allows debugging (0x%llx)", (unsigned long long)policy);
	if (policy & SNP_POLICY_MIGRATE_MA)
		return fail(err, errlen, "guest policy allows a migration agent (0x%llx)",
			    (unsigned long long)policy);
	return 0;
}

static int signed_by(X509 *cert, X509 *issuer)
{
	EVP_PKEY *k = X509_get0_pubkey(issuer);
	return k && X509_verify(cert, k) == 1;
}

/* AMD's hwID extension: the raw 64-byte chip id, or a DER OCTET STRING of it
 * (both seen in KDS certificates; Trustee accepts both). Absent: no check. */
static int check_hwid(X509 *vcek, const uint8_t *report, char *err, size_t errlen)
{
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.3704.1.4", 1);
	int idx = oid ? X509_get_ext_by_OBJ(vcek, oid, -1) : -1;
	ASN1_OBJECT_free(oid);
	if (idx < 0)
		return 0;
	ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(X509_get_ext(vcek, idx));
	const uint8_t *p = ASN1_STRING_get0_data(v);
	long n = ASN1_STRING_length(v);
	if (n == 66 && p[0] == 0x04 && p[1] == 64) {
		p += 2;
		n = 64;
	}
	if (n != 64 || memcmp(p, report + SNP_OFF_CHIP_ID, 64) != 0)
		return fail(err, errlen, "VCEK hwID does not match the report's chip_id");
	return 0;
}

/* r and s of the report: little-endian 72-byte fields -> DER ECDSA-Sig-Value. */
static int report_sig_der(const uint8_t *report, uint8_t **der)
{
	const uint8_t *sig = report + SNP_OFF_SIGNATURE;
	BIGNUM *r = BN_lebin2bn(sig, SNP_SIG_COMPONENT, NULL);
	BIGNUM *s = BN_lebin2bn(sig + SNP_SIG_COMPONENT, SNP_SIG_COMPONENT, NULL);
	ECDSA_SIG *es = ECDSA_SIG_new();
	if (!r || !s || !es || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	*der = NULL;
	int n = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return n;
}

static int verify_report_sig(const uint8_t *report, X509 *vcek, char *err, size_t errlen)
{
	EVP_PKEY *k = X509_get0_pubkey(vcek);
	char group[32] = "";
	size_t gl = 0;
	if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(k, "group", group, sizeof(group), &gl) ||
	    strcmp(group, "secp384r1") != 0)
		return fail(err, errlen, "VCEK key is not EC P-384");
	uint8_t *der = NULL;
	int dlen = report_sig_der(report, &der);
	if (dlen <= 0)
		return fail(err, errlen, "report signature is malformed");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha384(), NULL, k) == 1 &&
		 EVP_DigestVerify(ctx, der, (size_t)dlen, report, SNP_SIGNED_LEN) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	if (!ok)
		return fail(err, errlen, "report signature does not verify with the VCEK");
	return 0;
}

static bool has_ext(X509 *x, const char *oid_txt)
{
	ASN1_OBJECT *oid = OBJ_txt2obj(oid_txt, 1);
	int idx = oid ? X509_get_ext_by_OBJ(x, oid, -1) : -1;
	ASN1_OBJECT_free(oid);
	return idx >= 0;
}

int snp_report_verify(const uint8_t *report, const uint8_t *vcek_der, size_t vcek_len,
		      const struct snp_chain *chain, bool *marked, char *err, size_t errlen)
{
	X509 *vcek = NULL;
	if (vcek_len) {
		const uint8_t *p = vcek_der;
		vcek = d2i_X509(NULL, &p, (long)vcek_len);
		if (!vcek || p != vcek_der + vcek_len) {
			X509_free(vcek);
			return fail(err, errlen, "evidence VCEK is not one DER certificate");
		}
	} else if (chain->vcek) {
		vcek = X509_dup(chain->vcek);
	} else {
		return fail(err, errlen, "no VCEK in the evidence nor in %s", chain->dir);
	}
	int rc = -1;
	if (!signed_by(chain->ark, chain->ark))
		fail(err, errlen, "ARK of %s is not self-signed", chain->dir);
	else if (!signed_by(chain->ask, chain->ark))
		fail(err, errlen, "ASK of %s is not signed by its ARK", chain->dir);
	else if (!signed_by(vcek, chain->ask))
		fail(err, errlen, "VCEK is not signed by the ASK of %s", chain->dir);
	else if (!check_hwid(vcek, report, err, errlen))
		rc = verify_report_sig(report, vcek, err, errlen);
	if (rc == 0 && marked)
		*marked = has_ext(vcek, SNP_EMULATED_OID);
	X509_free(vcek);
	return rc;
}

void snp_expected_report_data(const char *jcs, size_t len, uint8_t out[64])
{
	memset(out, 0, 64);
	SHA384((const uint8_t *)jcs, len, out);
}
