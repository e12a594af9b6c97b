/* The HTTPS server's identity: --tls-cert, --tls-key, --tls-chain loaded
 * into an SSL_CTX and checked at start, so a bad file is one clear error
 * instead of failed handshakes later. */
#include "tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

static void ssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();
	if (e)
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "no details");
	ERR_clear_error();
}

static X509 *read_cert(FILE *f)
{
	return PEM_read_X509(f, NULL, NULL, NULL);
}

/* The leaf (first certificate of cert) and its intermediates (the rest). */
static int load_cert(SSL_CTX *ctx, const char *path, X509 **leaf, char *err, size_t errlen)
{
	char why[256];
	FILE *f = fopen(path, "r");
	if (!f)
		return snprintf(err, errlen, "--tls-cert %s: %s", path, strerror(errno)), -1;
	*leaf = read_cert(f);
	if (!*leaf) {
		fclose(f);
		ssl_reason(why, sizeof(why));
		return snprintf(err, errlen, "--tls-cert %s: not a PEM certificate (%s)", path, why), -1;
	}
	X509 *c;
	int rc = SSL_CTX_use_certificate(ctx, *leaf) == 1 ? 0 : -1;
	while (rc == 0 && (c = read_cert(f)))
		if (SSL_CTX_add0_chain_cert(ctx, c) != 1) {
			X509_free(c);
			rc = -1;
		}
	fclose(f);
	ERR_clear_error(); /* the end of the file ends the loop with "no start line" */
	if (rc)
		return snprintf(err, errlen, "--tls-cert %s: cannot use its certificates", path), -1;
	if (X509_cmp_current_time(X509_get0_notAfter(*leaf)) < 0)
		return snprintf(err, errlen, "--tls-cert %s has expired", path), -1;
	return 0;
}

static int load_key(SSL_CTX *ctx, X509 *leaf, const char *path, char *err, size_t errlen)
{
	char why[256];
	FILE *f = fopen(path, "r");
	if (!f)
		return snprintf(err, errlen, "--tls-key %s: %s", path, strerror(errno)), -1;
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k) {
		ssl_reason(why, sizeof(why));
		return snprintf(err, errlen, "--tls-key %s: not a PEM private key (%s)", path, why), -1;
	}
	int rc = -1;
	if (X509_check_private_key(leaf, k) != 1)
		snprintf(err, errlen, "--tls-key does not match --tls-cert");
	else if (SSL_CTX_use_PrivateKey(ctx, k) != 1)
		snprintf(err, errlen, "--tls-key %s: cannot use it", path);
	else
		rc = 0;
	EVP_PKEY_free(k); /* the context holds its own reference */
	ERR_clear_error();
	return rc;
}

static int load_chain(SSL_CTX *ctx, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return snprintf(err, errlen, "--tls-chain %s: %s", path, strerror(errno)), -1;
	X509 *c;
	int n = 0, rc = 0;
	while (rc == 0 && (c = read_cert(f))) {
		if (SSL_CTX_add0_chain_cert(ctx, c) != 1) {
			X509_free(c);
			rc = -1;
		}
		n++;
	}
	fclose(f);
	ERR_clear_error();
	if (rc || n == 0)
		return snprintf(err, errlen, "--tls-chain %s: %s", path,
				rc ? "cannot use its certificates" : "no PEM certificate in it"), -1;
	return 0;
}

SSL_CTX *kbs_tls_ctx_load(const char *cert, const char *key, const char *chain, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		SSL_CTX_free(ctx);
		return snprintf(err, errlen, "TLS: cannot make a server context"), NULL;
	}
	/* No renegotiation (a client-driven CPU sink); partial writes so the
	 * relay can resume an SSL_write from a moving offset. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	X509 *leaf = NULL;
	if (load_cert(ctx, cert, &leaf, err, errlen) || load_key(ctx, leaf, key, err, errlen) ||
	    (chain && load_chain(ctx, chain, err, errlen))) {
		X509_free(leaf);
		SSL_CTX_free(ctx);
		return NULL;
	}
	X509_free(leaf);
	return ctx;
}
