/*
 * The TLS client context (tls.h): TLS 1.2 minimum, the peer verified
 * against the CA certificate(s) of the bridge's measured data file and
 * nothing else (no system store, no OpenSSL configuration file).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls.h"
#include "tls_internal.h"

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* PEM blocks in the file, certificates or not (PEM_read_bio_X509 skips the others). */
static int count_blocks(const char *p, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	const size_t k = sizeof(begin) - 1;
	int n = 0;
	for (size_t i = 0; i + k <= len; i++)
		if (!memcmp(p + i, begin, k))
			n++;
	return n;
}

/*
 * Every PEM block a certificate, at least one; anything else (a private key
 * put there by mistake, a broken block) refuses the file.
 */
static int load_cas(X509_STORE *store, const void *pem, size_t len, char *err, size_t errlen)
{
	if (len == 0 || len > INT32_MAX)
		return fail(err, errlen, "the CA file is empty or too large");
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	int count = 0, rc = 0;
	if (!b)
		return fail(err, errlen, "out of memory reading the CA file");
	ERR_clear_error();
	for (;;) {
		X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		if (!x)
			break;
		if (!X509_STORE_add_cert(store, x))
			rc = -1;
		X509_free(x);
		count++;
	}
	unsigned long e = ERR_peek_last_error();
	BIO_free(b);
	/* The loop ends at "no start line" after the last block; any other error is a bad block. */
	if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		rc = -1;
	ERR_clear_error();
	if (rc)
		return fail(err, errlen, "the CA file has a malformed PEM certificate");
	if (count == 0)
		return fail(err, errlen, "the CA file holds no PEM certificate");
	if (count != count_blocks(pem, len))
		return fail(err, errlen, "the CA file holds a PEM block that is not a certificate");
	return 0;
}

SSL_CTX *tls_ctx_new(const void *ca_pem, size_t ca_len, char *err, size_t errlen)
{
	/* No openssl.cnf: hosted and booted behave the same (booted has no file system). */
	if (!OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL)) {
		fail(err, errlen, "OpenSSL does not initialise");
		return NULL;
	}
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		fail(err, errlen, "out of memory making the TLS context");
		return NULL;
	}
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    load_cas(store, ca_pem, ca_len, err, errlen)) {
		if (!err[0])
			fail(err, errlen, "cannot set TLS 1.2 as the minimum");
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	/* Every connect is a full handshake with a full verification: no session to resume. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx,
	                    SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
	                        /* The HTTP framing (Content-Length, chunks) detects truncation. */
	                        SSL_OP_IGNORE_UNEXPECTED_EOF);
	return ctx;
}

/* The name checks and SNI for one connection. */
int tls_ssl_set_name(SSL *ssl, const char *name, int is_ip)
{
	X509_VERIFY_PARAM *p = SSL_get0_param(ssl);
	X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (is_ip)
		return X509_VERIFY_PARAM_set1_ip_asc(p, name) ? 0 : -1;
	if (!SSL_set1_host(ssl, name) || !SSL_set_tlsext_host_name(ssl, name))
		return -1;
	return 0;
}
