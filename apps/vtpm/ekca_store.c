/*
 * The EK CA (ekcert.h) kept in the state store: ekca.key (the private key,
 * DER) and ekca.der (its certificate). storaged encrypts both; a new CA is
 * only staged, so it becomes durable in the same commit as the first
 * manufacture it signs for, or not at all.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/x509.h>

#include "ekcert.h"
#include "state.h"

#define CA_KEY_BLOB "ekca.key"
#define CA_CERT_BLOB "ekca.der"

static int load_stored(struct vtpm_ca *ca)
{
	uint8_t *k = NULL, *c = NULL;
	size_t kn = 0, cn = 0;
	int rk = vtpm_state_load(CA_KEY_BLOB, &k, &kn);
	int rc = vtpm_state_load(CA_CERT_BLOB, &c, &cn);
	int r = rk == VTPM_STATE_ABSENT && rc == VTPM_STATE_ABSENT ? 0 : -1;
	if (rk == VTPM_STATE_OK && rc == VTPM_STATE_OK) {
		const unsigned char *kp = k, *cp = c;
		ca->key = d2i_AutoPrivateKey(NULL, &kp, (long)kn);
		ca->cert = d2i_X509(NULL, &cp, (long)cn);
		r = ca->key && ca->cert && X509_check_private_key(ca->cert, ca->key) == 1 ? 1 : -1;
	}
	if (k != NULL)
		explicit_bzero(k, kn);
	free(k);
	free(c);
	if (r < 0) {
		printf("vtpm: EK CA: the stored %s / %s are unusable or incomplete\n", CA_KEY_BLOB,
		       CA_CERT_BLOB);
		vtpm_ekca_free(ca);
	}
	return r;
}

/* Stages a new CA's key and certificate. */
static int stage_new(const struct vtpm_ca *ca)
{
	unsigned char *k = NULL;
	uint8_t *c = NULL;
	size_t cn = 0;
	int kn = i2d_PrivateKey(ca->key, &k);
	int ok = kn > 0 && vtpm_cert_der(ca->cert, &c, &cn) == 0 &&
	         vtpm_state_store(CA_KEY_BLOB, k, (size_t)kn) == VTPM_STATE_OK &&
	         vtpm_state_store(CA_CERT_BLOB, c, cn) == VTPM_STATE_OK;
	if (k != NULL)
		OPENSSL_clear_free(k, (size_t)kn);
	free(c);
	return ok ? 0 : -1;
}

int vtpm_ekca_obtain(struct vtpm_ca *ca)
{
	ca->key = NULL;
	ca->cert = NULL;
	int r = vtpm_ekca_external(ca);
	if (r != 0)
		return r > 0 ? 0 : -1;
	r = load_stored(ca);
	if (r != 0) {
		if (r > 0)
			printf("vtpm: EK CA from the state store (%s)\n", CA_CERT_BLOB);
		return r > 0 ? 0 : -1;
	}
	if (vtpm_ekca_generate(ca) != 0 || stage_new(ca) != 0) {
		printf("vtpm: generating the EK CA failed\n");
		vtpm_ekca_free(ca);
		return -1;
	}
	printf("vtpm: EK CA generated (ECDSA P-256), kept in the state store\n");
	return 0;
}
