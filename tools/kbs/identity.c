/* Identity key: load/create, SPKI, pin, signing. */
#include "identity.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "b64.h"

static int derive_public(struct kbs_identity *id, char *err, size_t errlen)
{
	char group[32] = "";
	size_t gl = 0;
	if (EVP_PKEY_get_base_id(id->key) != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(id->key, "group", group, sizeof(group), &gl) ||
	    strcmp(group, "secp384r1") != 0) {
		snprintf(err, errlen, "identity key is not EC P-384");
		return -1;
	}
	int n = i2d_PUBKEY(id->key, NULL);
	if (n <= 0 || (size_t)n > sizeof(id->spki)) {
		snprintf(err, errlen, "identity key: cannot encode its public key");
		return -1;
	}
	uint8_t *p = id->spki;
	i2d_PUBKEY(id->key, &p);
	id->spki_len = (size_t)n;
	b64_std_encode(id->spki, id->spki_len, id->spki_b64);
	uint8_t h[32];
	SHA256(id->spki, id->spki_len, h);
	for (int i = 0; i < 32; i++)
		snprintf(id->pin + 2 * i, 3, "%02x", h[i]);
	return 0;
}

int kbs_identity_load(const char *path, struct kbs_identity *id, char *err, size_t errlen)
{
	memset(id, 0, sizeof(*id));
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open identity key %s: %s", path, strerror(errno));
		return -1;
	}
	id->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!id->key) {
		snprintf(err, errlen, "%s is not a PEM private key", path);
		return -1;
	}
	if (derive_public(id, err, errlen)) {
		kbs_identity_free(id);
		return -1;
	}
	return 0;
}

int kbs_identity_create(const char *path, struct kbs_identity *id, char *err, size_t errlen)
{
	memset(id, 0, sizeof(*id));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	id->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	int ok = f && id->key && PEM_write_PrivateKey(f, id->key, NULL, NULL, 0, NULL, NULL) == 1;
	if (f ? fclose(f) != 0 : close(fd) != 0)
		ok = 0;
	if (!ok || derive_public(id, err, errlen)) {
		if (!ok)
			snprintf(err, errlen, "cannot write identity key %s", path);
		unlink(path);
		kbs_identity_free(id);
		return -1;
	}
	return 0;
}

void kbs_identity_free(struct kbs_identity *id)
{
	EVP_PKEY_free(id->key);
	id->key = NULL;
}

int kbs_identity_sign_b64(const struct kbs_identity *id, const char *msg, size_t len, char *out, size_t cap)
{
	uint8_t sig[128];
	size_t sl = sizeof(sig);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = c && EVP_DigestSignInit(c, NULL, EVP_sha384(), NULL, id->key) == 1 &&
		 EVP_DigestSign(c, sig, &sl, (const uint8_t *)msg, len) == 1;
	EVP_MD_CTX_free(c);
	if (!ok || b64_std_len(sl) > cap)
		return -1;
	b64_std_encode(sig, sl, out);
	return 0;
}
