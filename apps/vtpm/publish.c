/* Fingerprints in the log, certificates to the mode's hook (publish.h). */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/sha.h>

#include "ek.h"
#include "provision.h"
#include "publish.h"
#include "state.h"

static const struct {
	const char *blob, *base, *what;
} certs[] = {
    {VTPM_EK_RSA_BLOB, "ek-rsa", "RSA-2048 EK certificate (NV 0x01c00002)"},
    {VTPM_EK_ECC_BLOB, "ek-ecc", "ECC P-256 EK certificate (NV 0x01c0000a)"},
    {"ekca.der", "ek-ca", "EK CA certificate (NV 0x01c00100)"},
};

int vtpm_publish_ek(void)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		uint8_t *der = NULL, md[SHA256_DIGEST_LENGTH];
		char hex[2 * SHA256_DIGEST_LENGTH + 1];
		size_t len = 0;
		if (vtpm_state_load(certs[i].blob, &der, &len) != VTPM_STATE_OK) {
			printf("vtpm: no stored %s\n", certs[i].what);
			bad = 1;
			continue;
		}
		SHA256(der, len, md);
		for (size_t j = 0; j < sizeof(md); j++)
			snprintf(hex + 2 * j, 3, "%02x", md[j]);
		printf("vtpm: %s: sha256 %s\n", certs[i].what, hex);
		vtpm_publish_file(certs[i].base, der, len);
		free(der);
	}
	return bad ? -1 : 0;
}
