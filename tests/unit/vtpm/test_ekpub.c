/*
 * apps/vtpm/ekpub_service.c: the RSA-2048 EK's TPMT_PUBLIC made from its
 * certificate (the profile's template, unique = the modulus), and the
 * VTPM_OP_EKPUB exchange: good, malformed, no EK, a non-RSA certificate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <keel/errors.h>
#include <keel/msg.h>

#include "../../../apps/vtpm/ek.h"
#include "../../../apps/vtpm/ekpub_service.h"
#include "../../../apps/vtpm/state.h"
#include "../../../apps/vtpm/vtpm_protocol.h"

static uint8_t *cert_der;
static int cert_len;

/* The vtpm's state store, holding only the EK certificate (or nothing). */
int vtpm_state_load(const char *name, uint8_t **data, size_t *len)
{
	if (strcmp(name, "ek-rsa.der") || !cert_der)
		return VTPM_STATE_ABSENT;
	*data = malloc((size_t)cert_len);
	memcpy(*data, cert_der, (size_t)cert_len);
	*len = (size_t)cert_len;
	return VTPM_STATE_OK;
}

static EVP_PKEY *key;

static uint8_t *make_cert(EVP_PKEY *pk, int *len)
{
	X509 *x = X509_new();
	uint8_t *der = NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	assert_true(X509_sign(x, pk, EVP_sha256()) > 0);
	*len = i2d_X509(x, &der);
	X509_free(x);
	return der;
}

static int setup(void **state)
{
	(void)state;
	if (!key)
		key = EVP_RSA_gen(2048);
	assert_non_null(key);
	OPENSSL_free(cert_der);
	cert_der = make_cert(key, &cert_len);
	return 0;
}

static void from_cert(void **state)
{
	(void)state;
	uint8_t out[512], n[256];
	struct vtpm_ek_pub pub;
	BIGNUM *bn = NULL;
	size_t len = vtpm_ekpub_from_cert(cert_der, (size_t)cert_len, out, sizeof(out));
	assert_int_equal(len, 2 + 2 + 4 + 2 + 32 + 6 + 2 + 2 + 4 + 2 + 256);
	assert_int_equal(out[0] << 8 | out[1], 0x0001); /* TPM_ALG_RSA */
	assert_int_equal(out[2] << 8 | out[3], 0x000b); /* nameAlg SHA-256 */
	assert_int_equal(vtpm_ek_public_parse(out, len, VTPM_EK_RSA2048, &pub), 0);
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &bn), 1);
	BN_bn2binpad(bn, n, 256);
	BN_free(bn);
	assert_memory_equal(pub.n, n, 256);
	assert_memory_equal(out + len - 256, n, 256);
	assert_int_equal(vtpm_ekpub_from_cert(cert_der, (size_t)cert_len, out, len - 1), 0);
	assert_int_equal(vtpm_ekpub_from_cert(cert_der, (size_t)cert_len - 1, out, sizeof(out)), 0);
	assert_int_equal(vtpm_ekpub_from_cert((const uint8_t *)"junk", 4, out, sizeof(out)), 0);
}

static void exchange(void **state)
{
	(void)state;
	static uint8_t rsp[1024];
	struct keel_msg req = {VTPM_OP_EKPUB, 0};
	const struct keel_msg *h = (const struct keel_msg *)rsp;
	size_t n = vtpm_ekpub_handle(&req, sizeof(req), rsp, sizeof(rsp));
	assert_int_equal(n, sizeof(*h) + 314);
	assert_int_equal(h->op, VTPM_OP_EKPUB);
	assert_int_equal(h->len, 314);
	req.op = VTPM_OP_PLATFORM; /* another op */
	assert_int_equal(vtpm_ekpub_handle(&req, sizeof(req), rsp, sizeof(rsp)), 12);
	assert_int_equal(h->op, KEEL_OP_ERROR);
	int32_t status;
	memcpy(&status, rsp + 8, 4);
	assert_int_equal(status, KEEL_EINVAL);
	req.op = VTPM_OP_EKPUB;
	assert_int_equal(vtpm_ekpub_handle(&req, 7, rsp, sizeof(rsp)), 12); /* short */
	assert_int_equal(vtpm_ekpub_handle(&req, sizeof(req), rsp, 100), 12); /* too small a reply */
	memcpy(&status, rsp + 8, 4);
	assert_int_equal(status, KEEL_ETOOBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(from_cert, setup),
	    cmocka_unit_test_setup(exchange, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
