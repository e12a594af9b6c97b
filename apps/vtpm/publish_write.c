/* vtpm_publish_write (publish.h): a certificate as DIR/BASE.der and DIR/BASE.pem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "publish.h"

/* Writes path atomically enough for a public file: temp + rename. */
static int write_file(const char *path, const void *data, size_t len)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	int ok = f != NULL && fwrite(data, 1, len, f) == len;
	ok = (f != NULL && fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		printf("vtpm: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int vtpm_publish_write(const char *dir, const char *base, const uint8_t *der, size_t len)
{
	char path[4096];
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	BIO *m = BIO_new(BIO_s_mem());
	char *pem = NULL;
	long pn = 0;
	int ok = x != NULL && m != NULL && PEM_write_bio_X509(m, x) == 1 &&
	         (pn = BIO_get_mem_data(m, &pem)) > 0;
	ok = ok && snprintf(path, sizeof(path), "%s/%s.der", dir, base) < (int)sizeof(path) - 8 &&
	     write_file(path, der, len) == 0;
	ok = ok && snprintf(path, sizeof(path), "%s/%s.pem", dir, base) < (int)sizeof(path) - 8 &&
	     write_file(path, pem, (size_t)pn) == 0;
	BIO_free(m);
	X509_free(x);
	return ok ? 0 : -1;
}
