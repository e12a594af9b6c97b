/* The TEE key: an ephemeral P-256 key made for one attestation (crypto.h). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "b64.h"
#include "crypto.h"

static int coord(EVP_PKEY *p, const char *name, char out[TEE_COORD_B64])
{
	BIGNUM *bn = NULL;
	uint8_t raw[32];
	int rc = -1;
	if (EVP_PKEY_get_bn_param(p, name, &bn) && BN_bn2binpad(bn, raw, sizeof(raw)) == 32)
		rc = b64_encode(B64_URL, raw, sizeof(raw), out, TEE_COORD_B64);
	BN_free(bn);
	return rc;
}

int tee_key_new(struct tee_key *k)
{
	memset(k, 0, sizeof(*k));
	EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!p)
		return -1;
	if (coord(p, OSSL_PKEY_PARAM_EC_PUB_X, k->x) || coord(p, OSSL_PKEY_PARAM_EC_PUB_Y, k->y)) {
		EVP_PKEY_free(p);
		return -1;
	}
	k->pkey = p;
	return 0;
}

void tee_key_free(struct tee_key *k)
{
	EVP_PKEY_free(k->pkey); /* frees (and clears) the private scalar */
	k->pkey = NULL;
}
