/*
 * Hosted mode hooks: an outside EK CA from KEEL_VTPM_EK_CA_KEY +
 * KEEL_VTPM_EK_CA_CERT (PEM files, both or neither), and the public
 * certificates exported to $KEEL_STATE_DIR (keel-hosted --state) for
 * users to verify EK certificates: ek-ca.pem, ek-rsa.der, ek-ecc.pem, ...
 * The state itself is in storaged (storage.img in the same directory).
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "ekcert.h"
#include "publish.h"

int vtpm_ekca_external(struct vtpm_ca *ca)
{
	const char *ek = getenv("KEEL_VTPM_EK_CA_KEY"), *ec = getenv("KEEL_VTPM_EK_CA_CERT");
	if (!(ek && *ek) && !(ec && *ec))
		return 0;
	if (!(ek && *ek && ec && *ec)) {
		printf("vtpm: set both KEEL_VTPM_EK_CA_KEY and KEEL_VTPM_EK_CA_CERT\n");
		return -1;
	}
	BIO *kb = BIO_new_file(ek, "r"), *cb = BIO_new_file(ec, "r");
	ca->key = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
	ca->cert = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	BIO_free(kb);
	BIO_free(cb);
	if (ca->key == NULL || ca->cert == NULL || X509_check_private_key(ca->cert, ca->key) != 1) {
		printf("vtpm: EK CA: cannot use PEM key %s with certificate %s\n", ek, ec);
		vtpm_ekca_free(ca);
		return -1;
	}
	printf("vtpm: EK CA from %s\n", ec);
	return 1;
}

void vtpm_publish_file(const char *base, const uint8_t *der, size_t len)
{
	const char *d = getenv("KEEL_STATE_DIR");
	if (d == NULL || d[0] == '\0')
		d = "./keel-state";
	if (vtpm_publish_write(d, base, der, len) == 0)
		printf("vtpm: exported %s/%s.der and .pem\n", d, base);
}
