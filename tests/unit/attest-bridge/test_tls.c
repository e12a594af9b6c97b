/*
 * The TLS transport (apps/attest-bridge/transport_tls.c) against an
 * in-process OpenSSL server over an in-memory transport (tls_fixture.c):
 * a certificate from the pinned CA for the right name works and bytes
 * round-trip; another CA, another name, an expired certificate, an old
 * TLS version, garbage and silence are refused with one clear line and
 * no crash; a missing or bad CA file refuses the setup; connect() after a
 * connection is a new inner connection with a full handshake; close sends
 * close_notify.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tls.h"
#include "tls_fixture.h"

static struct cred ca, other_ca, leaf_ip, leaf_dns, leaf_other_ca, leaf_expired, leaf_future;
static char *ca_pem;
static size_t ca_pem_len;

static int setup_all(void **st)
{
	(void)st;
	cred_make(&ca, "Keel test CA", NULL, NULL, -1, 30);
	cred_make(&other_ca, "Another CA", NULL, NULL, -1, 30);
	cred_make(&leaf_ip, "kbs", &ca, "IP:127.0.0.1", -1, 30);
	cred_make(&leaf_dns, "kbs", &ca, "DNS:kbs.test", -1, 30);
	cred_make(&leaf_other_ca, "kbs", &other_ca, "IP:127.0.0.1", -1, 30);
	cred_make(&leaf_expired, "kbs", &ca, "IP:127.0.0.1", -30, -1);
	cred_make(&leaf_future, "kbs", &ca, "IP:127.0.0.1", 1, 30);
	ca_pem = cred_pem(&ca, &ca_pem_len);
	return 0;
}

static int teardown_all(void **st)
{
	(void)st;
	struct cred *all[] = {&ca,           &other_ca,   &leaf_ip, &leaf_dns, &leaf_other_ca,
	                      &leaf_expired, &leaf_future};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		cred_free(all[i]);
	free(ca_pem);
	return 0;
}

static struct server srv;
static struct tls_transport tls;

/* A TLS transport for `name` over a fresh server with `leaf`; its init must succeed. */
static void start(const struct cred *leaf, const char *name, int max_version, enum server_mode m)
{
	char err[160];
	server_init(&srv, leaf, max_version, m);
	last_log[0] = 0;
	if (transport_tls_init(&tls, &srv.t, name, ca_pem, ca_pem_len, err, sizeof(err)))
		fail_msg("transport_tls_init: %s", err);
}

static void stop(void)
{
	transport_tls_free(&tls);
	server_free(&srv);
}

static void round_trip(const char *msg)
{
	char buf[256];
	size_t len = strlen(msg), have = 0;
	assert_int_equal(tls.t.write(&tls.t, msg, len, 1000), 0);
	while (have < len) {
		long n = tls.t.read(&tls.t, buf + have, sizeof(buf) - have, 1000);
		assert_true(n > 0);
		have += (size_t)n;
	}
	assert_int_equal(have, len);
	assert_memory_equal(buf, msg, len);
}

static void refused(const struct cred *leaf, const char *name, const char *why)
{
	start(leaf, name, 0, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), -1);
	assert_null(tls.ssl);
	assert_int_equal(srv.handshakes, 0);
	assert_non_null(strstr(last_log, why));
	assert_non_null(strstr(last_log, "staying locked"));
	assert_int_equal(tls.t.write(&tls.t, "x", 1, 100), -1); /* nothing to write to */
	assert_int_equal(tls.t.read(&tls.t, (char[4]){0}, 4, 100), -1);
	stop();
}

static void test_good_ip(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", 0, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_int_equal(srv.handshakes, 1);
	assert_non_null(strstr(last_log, "the broker's certificate verified for 127.0.0.1"));
	assert_string_equal(srv.sni, ""); /* no SNI for an address (RFC 6066 3) */
	round_trip("GET /kbs/v0/auth HTTP/1.1\r\n\r\n");
	round_trip("a second request on the same connection");
	tls.t.close(&tls.t);
	assert_int_equal(srv.close_notifies, 1);
	assert_null(tls.ssl);
	stop();
}

static void test_good_dns_sni(void **st)
{
	(void)st;
	start(&leaf_dns, "kbs.test", 0, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_string_equal(srv.sni, "kbs.test");
	round_trip("hello");
	stop();
}

static void test_tls12_accepted(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", TLS1_2_VERSION, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_string_equal(SSL_get_version(tls.ssl), "TLSv1.2");
	round_trip("hello over 1.2");
	stop();
}

static void test_old_version_refused(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", TLS1_1_VERSION, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), -1);
	assert_non_null(strstr(last_log, "handshake with the broker failed"));
	stop();
}

static void test_wrong_ca(void **st)
{
	(void)st;
	refused(&leaf_other_ca, "127.0.0.1",
	        "certificate verify failed (unable to get local issuer certificate)");
}

static void test_wrong_name(void **st)
{
	(void)st;
	refused(&leaf_ip, "127.0.0.2", "certificate verify failed (IP address mismatch)");
	refused(&leaf_dns, "other.test", "certificate verify failed (hostname mismatch)");
	refused(&leaf_ip, "kbs.test", "certificate verify failed (hostname mismatch)");
	refused(&leaf_dns, "127.0.0.1", "certificate verify failed (IP address mismatch)");
}

static void test_expired_and_future(void **st)
{
	(void)st;
	/* The clock it was checked against is in the line: the host's (docs/attestation.md). */
	refused(&leaf_expired, "127.0.0.1",
	        "certificate verify failed (certificate has expired at ");
	assert_non_null(strstr(last_log, " UTC) for tls=127.0.0.1; staying locked"));
	refused(&leaf_future, "127.0.0.1",
	        "certificate verify failed (certificate is not yet valid at ");
}

static void test_bad_ca_data(void **st)
{
	(void)st;
	char err[160];
	size_t other_len;
	char *other = cred_pem(&other_ca, &other_len);
	char both[8192], with_key[8192];
	assert_true(ca_pem_len + other_len < sizeof(both));
	memcpy(both, ca_pem, ca_pem_len);
	memcpy(both + ca_pem_len, other, other_len);
	static const char key[] = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n"
	                          "-----END PRIVATE KEY-----\n";
	memcpy(with_key, ca_pem, ca_pem_len);
	memcpy(with_key + ca_pem_len, key, sizeof(key) - 1);
	server_init(&srv, &leaf_ip, 0, SERVER_ECHO);
	static const struct {
		const char *data;
		size_t len;
		const char *why;
	} bad[] = {
	    {"", 0, "empty"},
	    {"not a certificate\n", 18, "no PEM certificate"},
	    {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 58, "malformed"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(transport_tls_init(&tls, &srv.t, "127.0.0.1", bad[i].data,
		                                    bad[i].len, err, sizeof(err)),
		                 -1);
		assert_non_null(strstr(err, bad[i].why));
		assert_null(tls.ctx);
	}
	assert_int_equal(transport_tls_init(&tls, &srv.t, "127.0.0.1", with_key,
	                                    ca_pem_len + sizeof(key) - 1, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "not a certificate"));
	assert_int_equal(transport_tls_init(&tls, &srv.t, "127.0.0.1", ca_pem, ca_pem_len - 30, err,
	                                    sizeof(err)),
	                 -1); /* cut short */
	assert_int_equal(
	    transport_tls_init(&tls, &srv.t, "10.0.2", ca_pem, ca_pem_len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tls=NAME"));
	/* Two CAs in one file: either may sign. */
	assert_int_equal(transport_tls_init(&tls, &srv.t, "127.0.0.1", both, ca_pem_len + other_len,
	                                    err, sizeof(err)),
	                 0);
	transport_tls_free(&tls);
	server_free(&srv);
	free(other);
	server_init(&srv, &leaf_other_ca, 0, SERVER_ECHO);
	assert_int_equal(transport_tls_init(&tls, &srv.t, "127.0.0.1", both, ca_pem_len + other_len,
	                                    err, sizeof(err)),
	                 0);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	stop();
}

static void test_garbage(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", 0, SERVER_GARBAGE);
	assert_int_equal(tls.t.connect(&tls.t), -1);
	assert_non_null(strstr(last_log, "attest-bridge: TLS: handshake with the broker failed ("));
	assert_null(tls.ssl);
	stop();
	start(&leaf_ip, "127.0.0.1", 0, SERVER_GARBAGE_LATER);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_int_equal(tls.t.write(&tls.t, "hello", 5, 1000), 0);
	char buf[64];
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 1000), -1);
	assert_non_null(strstr(last_log, "attest-bridge: TLS: reading failed ("));
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 1000), -1); /* stays failed */
	assert_int_equal(tls.t.write(&tls.t, "x", 1, 1000), -1);
	tls.t.close(&tls.t);
	assert_int_equal(srv.close_notifies, 0); /* no close_notify after a fatal error */
	stop();
}

static void test_silent_peer_times_out(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", 0, SERVER_SILENT);
	assert_int_equal(tls.t.connect(&tls.t), -1);
	assert_non_null(strstr(last_log, "handshake with the broker failed (timed out)"));
	stop();
	start(&leaf_ip, "127.0.0.1", 0, SERVER_ECHO);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	char buf[16];
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 50), TRANSPORT_ETIMEDOUT);
	stop();
}

/* The peer's close (close_notify) reads as 0, as the HTTP client's keep-alive check expects. */
static void test_peer_close(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", 0, SERVER_ECHO_CLOSE);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	round_trip("last one");
	char buf[16];
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 1000), 0);
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 1000), 0);
	tls.t.close(&tls.t);
	/* No close_notify back to a peer that is gone (through keel-proxy: a new connection). */
	assert_int_equal(BIO_ctrl_pending(srv.in), 0);
	stop();
}

static void test_reconnect_full_handshake(void **st)
{
	(void)st;
	start(&leaf_ip, "127.0.0.1", 0, SERVER_ECHO_CLOSE);
	assert_int_equal(tls.t.connect(&tls.t), 0);
	round_trip("first connection");
	char buf[16];
	assert_int_equal(tls.t.read(&tls.t, buf, sizeof(buf), 1000), 0);
	/* connect() without close(): the transport resets the inner one itself. */
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_int_equal(srv.connects, 2);
	assert_int_equal(srv.handshakes, 2);
	assert_int_equal(SSL_session_reused(tls.ssl), 0);
	assert_int_equal(tls.handshakes, 2);
	round_trip("second connection");
	/* And again from the middle of a live connection. */
	srv.mode = SERVER_ECHO;
	assert_int_equal(tls.t.connect(&tls.t), 0);
	round_trip("third");
	assert_int_equal(tls.t.connect(&tls.t), 0);
	assert_int_equal(srv.close_notifies, 1); /* the third said goodbye before the fourth */
	assert_int_equal(srv.handshakes, 4);
	assert_int_equal(SSL_session_reused(tls.ssl), 0);
	round_trip("fourth");
	stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_ip),
	    cmocka_unit_test(test_good_dns_sni),
	    cmocka_unit_test(test_tls12_accepted),
	    cmocka_unit_test(test_old_version_refused),
	    cmocka_unit_test(test_wrong_ca),
	    cmocka_unit_test(test_wrong_name),
	    cmocka_unit_test(test_expired_and_future),
	    cmocka_unit_test(test_bad_ca_data),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_silent_peer_times_out),
	    cmocka_unit_test(test_peer_close),
	    cmocka_unit_test(test_reconnect_full_handshake),
	};
	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
