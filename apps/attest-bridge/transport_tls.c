/*
 * The TLS transport (tls.h): OpenSSL's client over a BIO whose reads and
 * writes are the inner transport's, each bounded by what is left of the
 * current operation's timeout. connect() drops any connection, resets the
 * inner transport and runs a full handshake (no resumption: every
 * connection is verified from the CA again); that is also how the HTTP
 * client's one reconnect on a lost keep-alive connection works. A
 * handshake failure is one log line saying why; no secret is logged.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <keel/syscall.h>

#include "tls.h"
#include "tls_internal.h"

#define CLOSE_NOTIFY_MS 1000 /* the peer may be gone: do not wait long to say goodbye */

static int64_t mono_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A new operation: its deadline, and no inner event seen yet. */
static void begin(struct tls_transport *tls, unsigned timeout_ms)
{
	tls->deadline_ns = mono_ns() + (int64_t)timeout_ms * 1000000;
	tls->timed_out = 0;
	tls->eof = 0;
	tls->inner_failed = 0;
	ERR_clear_error();
}

static unsigned remaining_ms(const struct tls_transport *tls)
{
	int64_t left = tls->deadline_ns - mono_ns();
	return left <= 0 ? 0 : (unsigned)((left + 999999) / 1000000);
}

/* BIO read: >0 bytes, or 0 with the reason kept (EOF is what BIO_eof reports). */
static int bio_read(BIO *b, char *buf, size_t cap, size_t *got)
{
	struct tls_transport *tls = BIO_get_data(b);
	unsigned ms = remaining_ms(tls);
	BIO_clear_retry_flags(b);
	if (ms == 0) {
		tls->timed_out = 1;
		return 0;
	}
	long n = tls->inner->read(tls->inner, buf, cap, ms);
	if (n > 0 && (size_t)n <= cap) {
		*got = (size_t)n;
		return 1;
	}
	if (n == 0)
		tls->eof = 1;
	else if (n == TRANSPORT_ETIMEDOUT)
		tls->timed_out = 1;
	else
		tls->inner_failed = 1;
	return 0;
}

static int bio_write(BIO *b, const char *buf, size_t len, size_t *put)
{
	struct tls_transport *tls = BIO_get_data(b);
	unsigned ms = remaining_ms(tls);
	BIO_clear_retry_flags(b);
	if (ms == 0) {
		tls->timed_out = 1;
		return 0;
	}
	if (tls->inner->write(tls->inner, buf, len, ms)) {
		tls->inner_failed = 1;
		return 0;
	}
	*put = len;
	return 1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct tls_transport *tls = BIO_get_data(b);
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_EOF:
		return tls->eof; /* libssl tells a closed connection from a failed read by this */
	case BIO_CTRL_FLUSH:
		return 1; /* every write went out whole */
	default:
		return 0;
	}
}

static BIO_METHOD *bio_method_new(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "keel transport");
	if (m && (!BIO_meth_set_read_ex(m, bio_read) || !BIO_meth_set_write_ex(m, bio_write) ||
	          !BIO_meth_set_ctrl(m, bio_ctrl))) {
		BIO_meth_free(m);
		m = NULL;
	}
	return m;
}

/* The most useful reason libssl or the inner transport gave, for a log line. */
static const char *io_reason(const struct tls_transport *tls)
{
	if (tls->timed_out)
		return "timed out";
	if (tls->eof)
		return "the broker closed the connection";
	if (tls->inner_failed)
		return "the connection failed";
	const char *r = ERR_reason_error_string(ERR_peek_last_error());
	return r ? r : "protocol error";
}

/*
 * For a validity failure, the time it was checked against: the host's
 * clock (docs/attestation.md "TLS"), 1970 booted without an RTC.
 */
static void clock_note(long v, char *out, size_t cap)
{
	struct tm tm;
	time_t now = time(NULL);
	out[0] = 0;
	if ((v == X509_V_ERR_CERT_NOT_YET_VALID || v == X509_V_ERR_CERT_HAS_EXPIRED) &&
	    gmtime_r(&now, &tm))
		snprintf(out, cap, " at %04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void log_handshake_failure(const struct tls_transport *tls)
{
	long v = SSL_get_verify_result(tls->ssl);
	char when[48];
	clock_note(v, when, sizeof(when));
	if (v != X509_V_OK)
		keel_logf("attest-bridge: TLS: certificate verify failed (%s%s) for tls=%s; "
		          "staying locked",
		          X509_verify_cert_error_string(v), when, tls->name);
	else
		keel_logf(
		    "attest-bridge: TLS: handshake with the broker failed (%s); staying locked",
		    io_reason(tls));
}

static void drop(struct tls_transport *tls)
{
	/* Not after the peer's close: through keel-proxy the alert would open a new connection. */
	if (tls->ssl && tls->up && !tls->peer_closed) {
		begin(tls, CLOSE_NOTIFY_MS);
		/* Best effort: a peer that is already gone cannot be told. */
		(void)SSL_shutdown(tls->ssl);
	}
	SSL_free(tls->ssl); /* frees the BIO; libssl cleanses the session's secrets */
	tls->ssl = NULL;
	tls->up = 0;
	tls->peer_closed = 0;
	ERR_clear_error();
}

static void tls_close(struct transport *t)
{
	struct tls_transport *tls = (struct tls_transport *)t;
	drop(tls);
	tls->inner->close(tls->inner);
}

/* A fresh SSL on a fresh BIO over the inner transport, with the name checks. */
static int new_ssl(struct tls_transport *tls)
{
	BIO *b = BIO_new(tls->bio);
	tls->ssl = SSL_new(tls->ctx);
	if (!b || !tls->ssl) {
		BIO_free(b);
		return -1;
	}
	BIO_set_data(b, tls);
	BIO_set_init(b, 1);
	SSL_set_bio(tls->ssl, b, b); /* the SSL owns the BIO now */
	/* read-ahead: one inner read for a record header and body, not two */
	SSL_set_read_ahead(tls->ssl, 1);
	SSL_set_connect_state(tls->ssl);
	return tls_ssl_set_name(tls->ssl, tls->name, tls->name_is_ip);
}

static int tls_connect(struct transport *t)
{
	struct tls_transport *tls = (struct tls_transport *)t;
	drop(tls);
	tls->inner->close(tls->inner);
	if (tls->inner->connect(tls->inner))
		return -1; /* the HTTP client says it cannot connect */
	if (new_ssl(tls)) {
		keel_logf("attest-bridge: TLS: cannot set up the connection (out of memory?); "
		          "staying locked");
		tls_close(t);
		return -1;
	}
	begin(tls, TRANSPORT_CONNECT_MS);
	if (SSL_connect(tls->ssl) != 1 || SSL_get_verify_result(tls->ssl) != X509_V_OK ||
	    !SSL_get0_peer_certificate(tls->ssl)) {
		log_handshake_failure(tls);
		tls_close(t);
		return -1;
	}
	tls->up = 1;
	tls->handshakes++;
	keel_logf("attest-bridge: TLS: %s %s, the broker's certificate verified for %s",
	          SSL_get_version(tls->ssl), SSL_get_cipher_name(tls->ssl), tls->name);
	return 0;
}

static int tls_write(struct transport *t, const void *buf, size_t len, unsigned timeout_ms)
{
	struct tls_transport *tls = (struct tls_transport *)t;
	size_t put = 0;
	if (!tls->ssl || !tls->up)
		return -1;
	begin(tls, timeout_ms);
	if (len == 0)
		return 0;
	if (SSL_write_ex(tls->ssl, buf, len, &put) == 1 && put == len)
		return 0;
	tls->up = 0; /* no close_notify after a failed write */
	keel_logf("attest-bridge: TLS: sending failed (%s)", io_reason(tls));
	return -1;
}

static long tls_read(struct transport *t, void *buf, size_t cap, unsigned timeout_ms)
{
	struct tls_transport *tls = (struct tls_transport *)t;
	size_t got = 0;
	if (!tls->ssl || !tls->up)
		return -1;
	begin(tls, timeout_ms);
	if (SSL_read_ex(tls->ssl, buf, cap, &got) == 1)
		return (long)got;
	int e = SSL_get_error(tls->ssl, 0);
	if (e == SSL_ERROR_ZERO_RETURN) {
		tls->peer_closed = 1;
		return 0; /* close_notify, or EOF (SSL_OP_IGNORE_UNEXPECTED_EOF) */
	}
	tls->up = 0;
	if (tls->timed_out)
		return TRANSPORT_ETIMEDOUT;
	keel_logf("attest-bridge: TLS: reading failed (%s)", io_reason(tls));
	return -1;
}

int transport_tls_init(struct tls_transport *tls, struct transport *inner, const char *name,
                       const void *ca_pem, size_t ca_len, char *err, size_t errlen)
{
	memset(tls, 0, sizeof(*tls));
	err[0] = 0;
	if (!tls_name_ok(name)) {
		snprintf(err, errlen, "tls=NAME wants a DNS name or an IPv4 address");
		return -1;
	}
	snprintf(tls->name, sizeof(tls->name), "%s", name);
	tls->name_is_ip = tls_name_is_ipv4(name);
	tls->inner = inner;
	tls->ctx = tls_ctx_new(ca_pem, ca_len, err, errlen);
	tls->bio = tls->ctx ? bio_method_new() : NULL;
	if (!tls->bio) {
		if (!err[0])
			snprintf(err, errlen, "out of memory making the TLS transport");
		transport_tls_free(tls);
		return -1;
	}
	tls->t.name = inner->name; /* the start line names the inner transport, then tls= */
	tls->t.fd = -1;
	tls->t.connect = tls_connect;
	tls->t.write = tls_write;
	tls->t.read = tls_read;
	tls->t.close = tls_close;
	return 0;
}

void transport_tls_free(struct tls_transport *tls)
{
	if (tls->ssl)
		tls_close(&tls->t);
	SSL_CTX_free(tls->ctx);
	BIO_meth_free(tls->bio);
	OPENSSL_cleanse(tls, sizeof(*tls));
}
