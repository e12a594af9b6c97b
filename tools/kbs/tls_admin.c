/* kbs-admin tls-ca / tls-cert (tls_admin.h): a test CA and the broker's
 * server certificate, built with OpenSSL's X509 API. The CA is what a
 * client pins (attest-bridge's data file, curl --cacert); the server
 * certificate names the addresses the broker is reached at. */
#include "tls_admin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A DNS name as a SAN may carry it: 1..253 characters, dot-separated
 * labels of 1..63 [A-Za-z0-9-] not starting or ending with '-', and not
 * all digits and dots (that is a mistyped IPv4 address). */
static int dns_name_ok(const char *s)
{
	size_t n = strlen(s), label = 0;
	int alpha = 0;
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		int digit = c >= '0' && c <= '9';
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!(digit || letter || c == '-') || (label == 0 && c == '-') || ++label > 63)
			return 0;
		alpha |= !digit;
	}
	return alpha;
}

/* One SAN entry for name: an IP address if it parses as one, else DNS. */
static GENERAL_NAME *san_entry(const char *name, char *err, size_t errlen)
{
	unsigned char ip[16];
	int iplen = inet_pton(AF_INET, name, ip) == 1 ? 4 : inet_pton(AF_INET6, name, ip) == 1 ? 16 : 0;
	if (!iplen && !dns_name_ok(name))
		return snprintf(err, errlen, "%s is neither an IP address nor a DNS name", name), NULL;
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_STRING *v = iplen ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
	if (!g || !v || ASN1_STRING_set(v, iplen ? (const void *)ip : (const void *)name,
					iplen ? iplen : (int)strlen(name)) != 1) {
		GENERAL_NAME_free(g);
		ASN1_STRING_free(v);
		return snprintf(err, errlen, "out of memory"), NULL;
	}
	GENERAL_NAME_set0_value(g, iplen ? GEN_IPADD : GEN_DNS, v);
	return g;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	int ok = e && X509_add_ext(x, e, -1) == 1;
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

/* A v3 certificate for key named cn, valid from now for days, with a
 * random positive 127-bit serial; the issuer is set by the caller. */
static X509 *new_cert(EVP_PKEY *key, const char *cn, long days)
{
	X509 *x = X509_new();
	BIGNUM *serial = BN_new();
	X509_NAME *name = X509_get_subject_name(x);
	int ok = x && serial && X509_set_version(x, X509_VERSION_3) == 1 &&
		 BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
		 BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) &&
		 X509_gmtime_adj(X509_getm_notBefore(x), 0) && X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, NULL) &&
		 X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Keel KBS", -1, -1, 0) == 1 &&
		 X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) == 1 &&
		 X509_set_pubkey(x, key) == 1;
	BN_free(serial);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Writes path atomically (a temporary file, then rename) with mode. */
static int write_pem(const char *path, mode_t mode, EVP_PKEY *key, X509 *cert, char *err, size_t errlen)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	errno = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int ok = f && (key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert)) == 1;
	if (f ? fclose(f) != 0 : (fd >= 0 && close(fd) != 0))
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, errno ? strerror(errno) : "OpenSSL error");
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int use_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return snprintf(err, errlen, "cannot make %s: %s", dir, strerror(errno)), -1;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return snprintf(err, errlen, "%s is not a directory", dir), -1;
	if (strlen(dir) > 4000)
		return snprintf(err, errlen, "%s: path too long", dir), -1;
	return 0;
}

int kbs_tls_make_ca(const char *dir, char *err, size_t errlen)
{
	char key_path[4100], cert_path[4100];
	if (use_dir(dir, err, errlen))
		return -1;
	snprintf(key_path, sizeof(key_path), "%s/ca.key", dir);
	snprintf(cert_path, sizeof(cert_path), "%s/ca.pem", dir);
	if (access(key_path, F_OK) == 0 || access(cert_path, F_OK) == 0)
		return snprintf(err, errlen, "%s already holds a CA (remove ca.pem and ca.key to make a new one)", dir), -1;
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = key ? new_cert(key, "Keel KBS test CA", KBS_TLS_CA_DAYS) : NULL;
	int rc = -1;
	if (!x || X509_set_issuer_name(x, X509_get_subject_name(x)) != 1 ||
	    add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
	    add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    add_ext(x, x, NID_subject_key_identifier, "hash") || X509_sign(x, key, EVP_sha256()) <= 0)
		snprintf(err, errlen, "cannot build the CA certificate");
	else if (write_pem(key_path, 0600, key, NULL, err, errlen) == 0)
		rc = write_pem(cert_path, 0644, NULL, x, err, errlen);
	if (rc && access(cert_path, F_OK) != 0)
		unlink(key_path); /* no half a CA */
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

static int load_ca(const char *dir, X509 **ca, EVP_PKEY **key, char *err, size_t errlen)
{
	char path[4100];
	snprintf(path, sizeof(path), "%s/ca.pem", dir);
	FILE *f = fopen(path, "r");
	*ca = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!*ca)
		return snprintf(err, errlen, "cannot read the CA certificate %s (kbs-admin tls-ca %s)", path, dir), -1;
	snprintf(path, sizeof(path), "%s/ca.key", dir);
	f = fopen(path, "r");
	*key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!*key)
		return snprintf(err, errlen, "cannot read the CA key %s", path), -1;
	if (X509_check_private_key(*ca, *key) != 1)
		return snprintf(err, errlen, "%s/ca.key does not match %s/ca.pem", dir, dir), -1;
	return 0;
}

static GENERAL_NAMES *san_list(char *const *names, int n, char *err, size_t errlen)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	if (!gens)
		return snprintf(err, errlen, "out of memory"), NULL;
	for (int i = 0; i < n; i++) {
		GENERAL_NAME *g = san_entry(names[i], err, errlen);
		if (!g || !sk_GENERAL_NAME_push(gens, g)) {
			if (g)
				snprintf(err, errlen, "out of memory");
			GENERAL_NAME_free(g);
			GENERAL_NAMES_free(gens);
			return NULL;
		}
	}
	return gens;
}

int kbs_tls_make_cert(const char *dir, char *const *names, int n, char *err, size_t errlen)
{
	char key_path[4100], cert_path[4100];
	if (n < 1 || n > KBS_TLS_NAMES_MAX)
		return snprintf(err, errlen, "tls-cert takes 1..%d names", KBS_TLS_NAMES_MAX), -1;
	if (strlen(names[0]) > 64)
		return snprintf(err, errlen, "%s: the first name (the CN) must be at most 64 characters", names[0]), -1;
	GENERAL_NAMES *gens = san_list(names, n, err, errlen);
	if (!gens)
		return -1;
	X509 *ca = NULL, *x = NULL;
	EVP_PKEY *ca_key = NULL, *key = NULL;
	int rc = -1;
	if (load_ca(dir, &ca, &ca_key, err, errlen))
		goto out;
	snprintf(key_path, sizeof(key_path), "%s/server.key", dir);
	snprintf(cert_path, sizeof(cert_path), "%s/server.pem", dir);
	key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	x = key ? new_cert(key, names[0], KBS_TLS_CERT_DAYS) : NULL;
	if (!x || X509_set_issuer_name(x, X509_get_subject_name(ca)) != 1 ||
	    add_ext(x, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(x, ca, NID_key_usage, "critical,digitalSignature") ||
	    add_ext(x, ca, NID_ext_key_usage, "serverAuth") || add_ext(x, ca, NID_subject_key_identifier, "hash") ||
	    add_ext(x, ca, NID_authority_key_identifier, "keyid:always") ||
	    X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0) != 1 || X509_sign(x, ca_key, EVP_sha256()) <= 0) {
		snprintf(err, errlen, "cannot build the server certificate");
		goto out;
	}
	if (write_pem(key_path, 0600, key, NULL, err, errlen) == 0)
		rc = write_pem(cert_path, 0644, NULL, x, err, errlen);
out:
	GENERAL_NAMES_free(gens);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ca_key);
	return rc;
}
