/* Between tls_ctx.c (the context, the names) and transport_tls.c (the connection). */
#ifndef ATTEST_TLS_INTERNAL_H
#define ATTEST_TLS_INTERNAL_H

#include <stddef.h>

#include <openssl/ssl.h>

/* The client context with the CA store from PEM; NULL with `err` set. */
SSL_CTX *tls_ctx_new(const void *ca_pem, size_t ca_len, char *err, size_t errlen);

/* Host or IP check (and SNI for a host) on one connection: 0 or -1. */
int tls_ssl_set_name(SSL *ssl, const char *name, int is_ip);

#endif
