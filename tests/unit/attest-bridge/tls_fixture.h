/*
 * The TLS transport's test fixture: certificates made at test time with
 * OpenSSL (no committed keys) and an in-process OpenSSL server behind an
 * in-memory struct transport, pumped from the client's reads.
 */
#ifndef TLS_FIXTURE_H
#define TLS_FIXTURE_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "transport.h"

struct cred {
	EVP_PKEY *key;
	X509 *cert;
};

/*
 * A P-256 key and a certificate for it: `issuer` NULL for a self-signed
 * CA, else a leaf signed by `issuer` with subjectAltName `san` (OpenSSL
 * syntax, "IP:127.0.0.1,DNS:kbs.test"), valid from now+`from_days` to
 * now+`to_days`. Fails the test on any OpenSSL error.
 */
void cred_make(struct cred *c, const char *cn, const struct cred *issuer, const char *san,
               int from_days, int to_days);
void cred_free(struct cred *c);
/* The certificate as PEM, malloc'd (the caller frees). */
char *cred_pem(const struct cred *c, size_t *len);

enum server_mode {
	SERVER_ECHO,          /* TLS, echoes application data */
	SERVER_ECHO_CLOSE,    /* TLS, echoes once then sends close_notify and closes */
	SERVER_GARBAGE,       /* answers the ClientHello with bytes that are not TLS */
	SERVER_GARBAGE_LATER, /* TLS handshake, then bytes that are not TLS records */
	SERVER_SILENT,        /* never answers: every read times out */
};

struct server {
	struct transport t; /* first: the TLS transport's inner transport */
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *in, *out; /* the client's bytes in, the server's bytes out */
	enum server_mode mode;
	int connected, closed;
	unsigned connects, handshakes, close_notifies;
	char sni[256]; /* the server name the client sent, "" if none */
};

/* A server with `cred`, TLS max version `max_version` (0: the library's). */
void server_init(struct server *s, const struct cred *cred, int max_version, enum server_mode mode);
void server_free(struct server *s);

/* The last line the code under test logged (keel_logf), "" if none. */
extern char last_log[512];

#endif
