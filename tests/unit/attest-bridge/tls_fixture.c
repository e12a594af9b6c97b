/* The TLS test fixture (tls_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls_fixture.h"

char last_log[512];

/* The bridge logs through keel_logf; here it is kept for the checks and printed as a TAP comment.
 */
void keel_logf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	printf("# log: %s\n", last_log);
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(cert, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

void cred_make(struct cred *c, const char *cn, const struct cred *issuer, const char *san,
               int from_days, int to_days)
{
	static long serial = 1;
	c->key = EVP_EC_gen("P-256");
	c->cert = X509_new();
	assert_non_null(c->key);
	assert_non_null(c->cert);
	X509 *x = c->cert;
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), serial++), 1);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), from_days, 0, NULL));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), to_days, 0, NULL));
	X509_NAME *name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	                                            (const unsigned char *)cn, -1, -1, 0),
	                 1);
	X509 *signer = issuer ? issuer->cert : x;
	assert_int_equal(X509_set_issuer_name(x, X509_get_subject_name(signer)), 1);
	assert_int_equal(X509_set_pubkey(x, c->key), 1);
	if (!issuer) {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(x, x, NID_subject_key_identifier, "hash");
	} else {
		add_ext(x, signer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, signer, NID_key_usage, "critical,digitalSignature");
		add_ext(x, signer, NID_ext_key_usage, "serverAuth");
		add_ext(x, signer, NID_authority_key_identifier, "keyid");
		add_ext(x, signer, NID_subject_alt_name, san);
	}
	assert_true(X509_sign(x, issuer ? issuer->key : c->key, EVP_sha256()) > 0);
}

void cred_free(struct cred *c)
{
	X509_free(c->cert);
	EVP_PKEY_free(c->key);
	memset(c, 0, sizeof(*c));
}

char *cred_pem(const struct cred *c, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	assert_non_null(b);
	assert_int_equal(PEM_write_bio_X509(b, c->cert), 1);
	long n = BIO_get_mem_data(b, &data);
	char *out = malloc((size_t)n);
	assert_non_null(out);
	memcpy(out, data, (size_t)n);
	*len = (size_t)n;
	BIO_free(b);
	return out;
}

/* Runs the server on what the client sent: the handshake, then echo (or the mode's misbehaviour).
 */
static void pump(struct server *s)
{
	static const char garbage[] =
	    "HTTP/1.1 400 Bad Request\r\n\r\n\x17\x03\x03\xff\xff garbage";
	if (s->mode == SERVER_SILENT || s->closed)
		return;
	if (s->mode == SERVER_GARBAGE || (s->mode == SERVER_GARBAGE_LATER && s->handshakes)) {
		if (BIO_ctrl_pending(s->in)) {
			(void)BIO_reset(s->in); /* what the client sent is ignored */
			assert_int_equal(BIO_write(s->out, garbage, sizeof(garbage) - 1),
			                 (int)sizeof(garbage) - 1);
		}
		return;
	}
	if (!SSL_is_init_finished(s->ssl)) {
		if (SSL_do_handshake(s->ssl) != 1)
			return; /* more input needed, or failed: the client sees what went out */
		s->handshakes++;
		const char *sni = SSL_get_servername(s->ssl, TLSEXT_NAMETYPE_host_name);
		snprintf(s->sni, sizeof(s->sni), "%s", sni ? sni : "");
	}
	char buf[4096];
	size_t n;
	while (SSL_read_ex(s->ssl, buf, sizeof(buf), &n) == 1) {
		size_t put;
		assert_int_equal(SSL_write_ex(s->ssl, buf, n, &put), 1);
		if (s->mode == SERVER_ECHO_CLOSE) {
			(void)SSL_shutdown(s->ssl);
			s->closed = 1;
			return;
		}
	}
}

static int srv_connect(struct transport *t)
{
	struct server *s = (struct server *)t;
	SSL_free(s->ssl); /* owns the old BIOs */
	s->in = BIO_new(BIO_s_mem());
	s->out = BIO_new(BIO_s_mem());
	s->ssl = SSL_new(s->ctx);
	assert_true(s->in && s->out && s->ssl);
	BIO_set_mem_eof_return(s->in, -1); /* empty is "more to come", not EOF */
	SSL_set_bio(s->ssl, s->in, s->out);
	SSL_set_accept_state(s->ssl);
	s->connected = 1;
	s->closed = 0;
	s->connects++;
	return 0;
}

static int srv_write(struct transport *t, const void *buf, size_t len, unsigned timeout_ms)
{
	struct server *s = (struct server *)t;
	(void)timeout_ms;
	if (!s->connected || BIO_write(s->in, buf, (int)len) != (int)len)
		return -1;
	pump(s); /* a prompt peer: it takes in what arrives */
	return 0;
}

static long srv_read(struct transport *t, void *buf, size_t cap, unsigned timeout_ms)
{
	struct server *s = (struct server *)t;
	(void)timeout_ms;
	if (!s->connected)
		return -1;
	if (!BIO_ctrl_pending(s->out))
		pump(s);
	if (BIO_ctrl_pending(s->out))
		return BIO_read(s->out, buf, (int)(cap > 65536 ? 65536 : cap));
	return s->closed ? 0
	                 : TRANSPORT_ETIMEDOUT; /* nothing more now: a real peer would time out */
}

static void srv_close(struct transport *t)
{
	struct server *s = (struct server *)t;
	if (s->connected && s->ssl && s->handshakes && s->mode != SERVER_GARBAGE_LATER)
		pump(s); /* take in a close_notify the client sent */
	if (s->connected && s->ssl && (SSL_get_shutdown(s->ssl) & SSL_RECEIVED_SHUTDOWN))
		s->close_notifies++;
	s->connected = 0;
}

void server_init(struct server *s, const struct cred *cred, int max_version, enum server_mode mode)
{
	memset(s, 0, sizeof(*s));
	s->ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(s->ctx);
	assert_int_equal(SSL_CTX_use_certificate(s->ctx, cred->cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(s->ctx, cred->key), 1);
	if (max_version) {
		SSL_CTX_set_security_level(s->ctx,
		                           0); /* let an old version through to the client */
		assert_int_equal(SSL_CTX_set_min_proto_version(s->ctx, max_version), 1);
		assert_int_equal(SSL_CTX_set_max_proto_version(s->ctx, max_version), 1);
	}
	s->mode = mode;
	s->t.name = "mem";
	s->t.fd = -1;
	s->t.connect = srv_connect;
	s->t.write = srv_write;
	s->t.read = srv_read;
	s->t.close = srv_close;
}

void server_free(struct server *s)
{
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
	memset(s, 0, sizeof(*s));
}
