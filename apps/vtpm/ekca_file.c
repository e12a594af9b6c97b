/*
 * Hosted EK CA (ekcert.h): KEEL_VTPM_EK_CA_KEY + KEEL_VTPM_EK_CA_CERT (PEM
 * files) if set; else ek-ca.key / ek-ca.pem in the state directory; else a
 * new ECDSA P-256 CA saved there (key mode 0600), so a re-manufactured TPM
 * keeps the same CA.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "ekcert.h"
#include "state.h"
#include "state_file.h"

static int load_pair(const char *key_path, const char *cert_path, struct vtpm_ca *ca)
{
	BIO *kb = BIO_new_file(key_path, "r"), *cb = BIO_new_file(cert_path, "r");
	ca->key = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
	ca->cert = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	BIO_free(kb);
	BIO_free(cb);
	if (ca->key == NULL || ca->cert == NULL) {
		fprintf(stderr, "vtpm: EK CA: cannot read PEM key %s / certificate %s\n", key_path,
			cert_path);
		vtpm_ekca_free(ca);
		return -1;
	}
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		fprintf(stderr, "vtpm: EK CA: %s does not match the key in %s\n", cert_path, key_path);
		vtpm_ekca_free(ca);
		return -1;
	}
	return 0;
}

/* PEM-encodes through a memory BIO and stores it atomically. */
static int save_pem(const char *file, int mode, int is_key, const struct vtpm_ca *ca)
{
	BIO *m = BIO_new(BIO_s_mem());
	char *p = NULL;
	int ok = m != NULL && (is_key ? PEM_write_bio_PrivateKey(m, ca->key, NULL, NULL, 0, NULL,
								NULL)
				     : PEM_write_bio_X509(m, ca->cert));
	long n = ok ? BIO_get_mem_data(m, &p) : 0;
	ok = ok && n > 0 && vtpm_state_write_file(file, p, (size_t)n, mode) == VTPM_STATE_OK;
	if (p != NULL && n > 0)
		OPENSSL_cleanse(p, (size_t)n);
	BIO_free(m);
	return ok ? 0 : -1;
}

int vtpm_ekca_obtain(struct vtpm_ca *ca)
{
	const char *ek = getenv("KEEL_VTPM_EK_CA_KEY"), *ec = getenv("KEEL_VTPM_EK_CA_CERT");
	char kp[4200], cp[4200];
	ca->key = NULL;
	ca->cert = NULL;
	if ((ek && *ek) || (ec && *ec)) {
		if (!(ek && *ek && ec && *ec)) {
			fprintf(stderr, "vtpm: set both KEEL_VTPM_EK_CA_KEY and KEEL_VTPM_EK_CA_CERT\n");
			return -1;
		}
		fprintf(stderr, "vtpm: EK CA from %s\n", ec);
		return load_pair(ek, ec, ca);
	}
	if (vtpm_state_path(kp, sizeof(kp), "ek-ca.key") != 0 ||
	    vtpm_state_path(cp, sizeof(cp), "ek-ca.pem") != 0)
		return -1;
	if (access(kp, F_OK) == 0 || access(cp, F_OK) == 0) {
		fprintf(stderr, "vtpm: EK CA from %s\n", cp);
		return load_pair(kp, cp, ca);
	}
	if (vtpm_ekca_generate(ca) != 0 || save_pem("ek-ca.key", 0600, 1, ca) != 0 ||
	    save_pem("ek-ca.pem", 0644, 0, ca) != 0) {
		fprintf(stderr, "vtpm: generating/saving the EK CA in %s failed\n", vtpm_state_dir());
		vtpm_ekca_free(ca);
		return -1;
	}
	fprintf(stderr, "vtpm: EK CA generated: %s (key %s)\n", cp, kp);
	return 0;
}
