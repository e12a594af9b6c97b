/*
 * VTPM_OP_EKPUB (ekpub_service.h). The EK is a primary key: the same
 * template under the same endorsement seed always gives the same key, so
 * its TPMT_PUBLIC is the template with unique = the public key. That key
 * is in the EK certificate provisioning stored (VTPM_EK_RSA_BLOB): taking
 * it from there asks nothing of the TPM, so it works before the guest's
 * TPM2_Startup and never touches the guest's transient objects.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/x509.h>

#include <keel/errors.h>
#include <keel/msg.h>

#include "ek.h"
#include "ekpub_service.h"
#include "marshal.h"
#include "provision.h"
#include "state.h"
#include "vtpm_protocol.h"

#define EK_RSA_BYTES 256u

/* The public modulus of an RSA-2048 key with exponent 65537 (the profile's), or -1. */
static int rsa2048_modulus(EVP_PKEY *pk, uint8_t n_out[EK_RSA_BYTES])
{
	BIGNUM *n = NULL, *e = NULL;
	int ok = EVP_PKEY_base_id(pk) == EVP_PKEY_RSA && EVP_PKEY_get_bits(pk) == 2048 &&
	         EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
	         EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) == 1 && BN_is_word(e, 65537) &&
	         BN_bn2binpad(n, n_out, EK_RSA_BYTES) == (int)EK_RSA_BYTES;
	BN_free(n);
	BN_free(e);
	return ok ? 0 : -1;
}

size_t vtpm_ekpub_from_cert(const uint8_t *der, size_t len, uint8_t *out, size_t cap)
{
	const unsigned char *p = der;
	uint8_t n[EK_RSA_BYTES], tmpl[512];
	struct tpm_wbuf w;
	struct vtpm_ek_pub check;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	EVP_PKEY *pk = cert ? X509_get0_pubkey(cert) : NULL;
	int ok = pk && rsa2048_modulus(pk, n) == 0;
	X509_free(cert);
	if (!ok)
		return 0;
	/* TPM2B_PUBLIC of the template: u16 size, TPMT_PUBLIC ending in unique (256 bytes). */
	tpm_w_init(&w, tmpl, sizeof(tmpl));
	vtpm_ek_template(&w, VTPM_EK_RSA2048);
	size_t total = w.bad ? 0 : w.n; /* not tpm_w_finish: this is no command */
	if (total < 2 + EK_RSA_BYTES || total - 2 > cap)
		return 0;
	memcpy(tmpl + total - EK_RSA_BYTES, n, EK_RSA_BYTES);
	/* What we built must read back as the profile's EK: never answer anything else. */
	if (vtpm_ek_public_parse(tmpl + 2, total - 2, VTPM_EK_RSA2048, &check) != 0)
		return 0;
	memcpy(out, tmpl + 2, total - 2);
	return total - 2;
}

static size_t reply_error(void *out, size_t cap, int32_t status)
{
	struct {
		struct keel_msg hdr;
		int32_t status;
	} r = {{KEEL_OP_ERROR, sizeof(int32_t)}, status};
	if (cap < sizeof(r))
		return 0;
	memcpy(out, &r, sizeof(r));
	return sizeof(r);
}

size_t vtpm_ekpub_handle(const void *in, size_t n, void *out, size_t cap)
{
	static uint8_t cached[VTPM_EKPUB_MAX];
	static size_t cached_len;
	const struct keel_msg *m = (const struct keel_msg *)in;
	if (keel_msg_check(in, n) != 0 || m->op != VTPM_OP_EKPUB || m->len != 0)
		return reply_error(out, cap, KEEL_EINVAL);
	if (!cached_len) {
		uint8_t *der = NULL;
		size_t der_len = 0;
		if (vtpm_state_load(VTPM_EK_RSA_BLOB, &der, &der_len) != VTPM_STATE_OK)
			return reply_error(out, cap, KEEL_ENOTSUP); /* no EK provisioned (TPM off) */
		cached_len = vtpm_ekpub_from_cert(der, der_len, cached, sizeof(cached));
		free(der);
		if (!cached_len)
			return reply_error(out, cap, KEEL_EINVAL);
	}
	struct keel_msg h = {VTPM_OP_EKPUB, (uint32_t)cached_len};
	if (cap < sizeof(h) + cached_len)
		return reply_error(out, cap, KEEL_ETOOBIG);
	memcpy(out, &h, sizeof(h));
	memcpy((uint8_t *)out + sizeof(h), cached, cached_len);
	return sizeof(h) + cached_len;
}
