/*
 * TLS to the key broker (tls=NAME; docs/attestation.md "TLS", D20): a
 * struct transport that runs OpenSSL's TLS client (1.2 minimum) over an
 * inner transport (tcp, proxy or net). The broker's certificate must chain
 * to the CA certificate(s) of the task's measured data file (PEM) and name
 * NAME (a DNS name: subjectAltName DNS and SNI; an IPv4 address:
 * subjectAltName IP). TLS authenticates the channel; the pinned identity
 * key (kbs-pin=) still authenticates the broker's answers.
 */
#ifndef ATTEST_TLS_H
#define ATTEST_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "transport.h"

#define TLS_NAME_MAX 124 /* tls=NAME: a word is at most 127 bytes */

struct ssl_ctx_st;
struct ssl_st;
struct bio_method_st;

struct tls_transport {
	struct transport t;        /* first: the HTTP client holds &tls->t */
	struct transport *inner;   /* the untrusted byte pipe under TLS */
	struct ssl_ctx_st *ctx;    /* TLS 1.2+, the CA store, verify peer */
	struct ssl_st *ssl;        /* the current connection, NULL between connections */
	struct bio_method_st *bio; /* the BIO over `inner` (transport_tls.c) */
	char name[TLS_NAME_MAX];
	int name_is_ip;
	int64_t deadline_ns; /* the current operation's end (CLOCK_MONOTONIC) */
	int timed_out;       /* the inner transport timed out in this operation */
	int eof;             /* the inner transport reported the peer's close */
	int inner_failed;    /* the inner transport failed (not a timeout, not EOF) */
	int up;              /* handshake done, no fatal error since: close_notify on close */
	int peer_closed;     /* the broker closed (close_notify or EOF): no close_notify back */
	unsigned handshakes; /* completed handshakes (tests; every connect is a full one) */
};

/*
 * 1 if `name` is a usable tls=NAME: an IPv4 address in dotted decimal or a
 * DNS name ([A-Za-z0-9-] labels of 1..63 joined by dots, not all digits
 * and dots). 0 otherwise.
 */
int tls_name_ok(const char *name);

/* 1 for a dotted-decimal IPv4 address (four parts 0..255, no leading zeros). */
int tls_name_is_ipv4(const char *s);

/*
 * Wraps `inner` (which stays the caller's). `ca_pem`/`ca_len`: one or more
 * PEM certificates, nothing else. 0, or -1 with `err` saying why (no CA,
 * a malformed PEM block, OpenSSL failing to set up).
 */
int transport_tls_init(struct tls_transport *tls, struct transport *inner, const char *name,
                       const void *ca_pem, size_t ca_len, char *err, size_t errlen);

/* Closes any connection (close_notify) and frees and zeroes everything. */
void transport_tls_free(struct tls_transport *tls);

#endif
