/*
 * attest-bridge's parsers: the manifest arg= (config.c), base64 (b64.c),
 * the strict JSON reader (json.c) and the HTTP response parser
 * (http_parse.c). Every rejection named here is a case the code must keep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b64.h"
#include "bridge.h"
#include "http.h"
#include "json.h"

#define PIN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int parse(const char *arg, struct bridge_config *c)
{
	char err[160];
	return bridge_config_parse(arg, c, err, sizeof(err));
}

static void test_config_good(void **st)
{
	(void)st;
	struct bridge_config c;
	assert_int_equal(parse("stream=1 key=2 vtpm=3 vm=default kbs-pin=" PIN, &c), 0);
	assert_true(c.have_stream && c.stream == 1 && c.key == 2 && c.have_vtpm && c.vtpm == 3);
	assert_string_equal(c.vm, "default");
	assert_int_equal(c.pin[0], 0x01);
	assert_int_equal(c.pin[31], 0xef);
	assert_int_equal(parse("kbs=127.0.0.1:8080 key=2 kbs-pin=" PIN, &c), 0);
	assert_string_equal(c.kbs_host, "127.0.0.1");
	assert_int_equal(c.kbs_port, 8080);
	assert_string_equal(c.vm, "default");
	assert_int_equal(parse("  kbs=localhost:1   key=63 vm=a.b-c_D kbs-pin=" PIN " ", &c), 0);
	assert_string_equal(c.vm, "a.b-c_D");
	assert_false(c.have_tls || c.have_net || c.have_stream);
	assert_int_equal(parse("net=4 tls=10.0.2.2 key=2 kbs-pin=" PIN, &c), 0);
	assert_true(c.have_net && c.net == 4 && !c.have_stream && c.have_tls);
	assert_string_equal(c.tls_name, "10.0.2.2");
	assert_int_equal(parse("stream=1 tls=kbs.example-1.org key=2 kbs-pin=" PIN, &c), 0);
	assert_string_equal(c.tls_name, "kbs.example-1.org");
	assert_int_equal(parse("kbs=127.0.0.1:8080 tls=localhost key=2 kbs-pin=" PIN, &c), 0);
	assert_string_equal(c.tls_name, "localhost");
}

static void test_config_bad(void **st)
{
	(void)st;
	struct bridge_config c;
	static const char *const bad[] = {
	    "",
	    "key=2 kbs-pin=" PIN,                                   /* no transport */
	    "stream=1 kbs=h:1 key=2 kbs-pin=" PIN,                  /* both transports */
	    "stream=1 kbs-pin=" PIN,                                /* no key= */
	    "stream=1 key=2",                                       /* no pin */
	    "stream=1 key=1 kbs-pin=" PIN,                          /* slot twice */
	    "stream=1 key=2 key=3 kbs-pin=" PIN,                    /* word twice */
	    "stream=0 key=2 kbs-pin=" PIN,                          /* slot 0 is the router */
	    "stream=64 key=2 kbs-pin=" PIN,                         /* slot range */
	    "stream=01 key=2 kbs-pin=" PIN,                         /* leading zero */
	    "stream=1 key=2 kbs-pin=" PIN "0",                      /* 65 digits */
	    "stream=1 key=2 kbs-pin=0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	    "stream=1 key=2 vm= kbs-pin=" PIN,                      /* empty vm */
	    "stream=1 key=2 vm=a/b kbs-pin=" PIN,                   /* bad vm char */
	    "kbs=127.0.0.1 key=2 kbs-pin=" PIN,                     /* no port */
	    "kbs=127.0.0.1:0 key=2 kbs-pin=" PIN,                   /* port 0 */
	    "kbs=127.0.0.1:65536 key=2 kbs-pin=" PIN,               /* port range */
	    "kbs=:80 key=2 kbs-pin=" PIN,                           /* no host */
	    "stream=1 key=2 kbs-pin=" PIN " dev-key",               /* unknown word */
	    "net=1 stream=3 key=2 kbs-pin=" PIN,                    /* net= and stream= */
	    "net=1 kbs=h:1 key=2 kbs-pin=" PIN,                     /* net= and kbs= */
	    "net=2 key=2 kbs-pin=" PIN,                             /* net= slot twice */
	    "net=0 key=2 kbs-pin=" PIN,                             /* net= slot range */
	    "net=1 net=3 key=2 kbs-pin=" PIN,                       /* net= twice */
	    "net=1 tls= key=2 kbs-pin=" PIN,                        /* empty tls= */
	    "net=1 tls=a tls=b key=2 kbs-pin=" PIN,                 /* tls= twice */
	    "net=1 tls=10.0.2.256 key=2 kbs-pin=" PIN,              /* not an address */
	    "net=1 tls=10.0.02.2 key=2 kbs-pin=" PIN,               /* leading zero */
	    "net=1 tls=10.0.2 key=2 kbs-pin=" PIN,                  /* digits and dots only */
	    "net=1 tls=kbs..org key=2 kbs-pin=" PIN,                /* empty label */
	    "net=1 tls=-kbs.org key=2 kbs-pin=" PIN,                /* hyphen at a label's start */
	    "net=1 tls=kbs-.org key=2 kbs-pin=" PIN,                /* hyphen at a label's end */
	    "net=1 tls=kbs.org. key=2 kbs-pin=" PIN,                /* trailing dot */
	    "net=1 tls=kbs_1.org key=2 kbs-pin=" PIN,               /* underscore */
	    "net=1 tls=*.kbs.org key=2 kbs-pin=" PIN,               /* a wildcard is no name */
	    "net=1 tls=kbs.org:443 key=2 kbs-pin=" PIN,             /* a port */
	    "net=1 tls=0123456789012345678901234567890123456789012345678901234567890123.org key=2 "
	    "kbs-pin=" PIN,                                         /* 64-byte label */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &c) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
	}
}

static void test_b64(void **st)
{
	(void)st;
	uint8_t out[16];
	char enc[32];
	size_t n;
	assert_int_equal(b64_decode(B64_STD, "aGk=", 4, out, sizeof(out), &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "hi", 2);
	assert_int_equal(b64_decode(B64_STD, "aGk", 3, out, sizeof(out), &n), -1);  /* unpadded */
	assert_int_equal(b64_decode(B64_STD, "aGl=", 4, out, sizeof(out), &n), -1); /* bits */
	assert_int_equal(b64_decode(B64_URL, "aGk", 3, out, sizeof(out), &n), 0);
	assert_int_equal(b64_decode(B64_URL, "a-_A", 4, out, sizeof(out), &n), 0);
	assert_int_equal(b64_decode(B64_URL, "a+/A", 4, out, sizeof(out), &n), -1);
	assert_int_equal(b64_decode(B64_URL, "a", 1, out, sizeof(out), &n), -1);
	assert_int_equal(b64_decode(B64_STD, "aGVsbG8gd29ybGQhISEhISE=", 24, out, 4, &n), -1);
	assert_int_equal(b64_encode(B64_STD, (const uint8_t *)"hi", 2, enc, sizeof(enc)), 0);
	assert_string_equal(enc, "aGk=");
	assert_int_equal(b64_encode(B64_URL, (const uint8_t *)"hi", 2, enc, sizeof(enc)), 0);
	assert_string_equal(enc, "aGk");
	assert_int_equal(b64_encode(B64_STD, (const uint8_t *)"hi", 2, enc, 4), -1);
}

static void test_json(void **st)
{
	(void)st;
	struct json_span d, v;
	char s[32];
	uint64_t u;
	const char *doc = " {\"a\":\"x\\\"y\",\"n\":42,\"o\":{\"k\":[1,true,null]}} ";
	assert_int_equal(json_doc(doc, strlen(doc), &d), 0);
	assert_int_equal(json_member(&d, "a", &v), 0);
	assert_int_equal(json_string(&v, s, sizeof(s), NULL), 0);
	assert_string_equal(s, "x\"y");
	assert_int_equal(json_member(&d, "n", &v), 0);
	assert_int_equal(json_u64(&v, &u), 0);
	assert_int_equal(u, 42);
	assert_int_equal(json_member(&d, "missing", &v), 1);
	assert_int_equal(json_member(&d, "o", &v), 0);
	assert_int_equal(v.type, JSON_OBJECT);
	static const char *const bad[] = {
	    "", "{", "{\"a\":}", "{\"a\":1,}", "{a:1}", "[1,2", "\"\x01\"", "{\"a\":01}",
	    "{\"a\":1} x", "{\"a\":\"\\x\"}", "{\"a\":-}", "{\"a\":1.}", "nul",
	    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_validate(bad[i], strlen(bad[i])) == 0)
			fail_msg("accepted: %s", bad[i]);
	const char *dup = "{\"k\":1,\"k\":2}";
	assert_int_equal(json_doc(dup, strlen(dup), &d), 0);
	assert_int_equal(json_member(&d, "k", &v), -1); /* twice: refused, not "last wins" */
	const char *uesc = "{\"k\":\"\\u0041\",\"m\":-1,\"f\":1.5}";
	assert_int_equal(json_doc(uesc, strlen(uesc), &d), 0);
	assert_int_equal(json_member(&d, "k", &v), 0);
	assert_int_equal(json_string(&v, s, sizeof(s), NULL), -1);
	assert_int_equal(json_member(&d, "m", &v), 0);
	assert_int_equal(json_u64(&v, &u), -1);
	assert_int_equal(json_member(&d, "f", &v), 0);
	assert_int_equal(json_u64(&v, &u), -1);
}

static int hp(const char *s, struct http_rsp *r, size_t *used)
{
	char err[128];
	return http_parse(s, strlen(s), r, used, err, sizeof(err));
}

static void test_http(void **st)
{
	(void)st;
	static struct http_rsp r;
	size_t used;
	const char *ok = "HTTP/1.1 200 OK\r\nSet-Cookie: kbs-session-id=abc123; Path=/kbs\r\n"
	                 "Content-Length: 2\r\n\r\n{}";
	assert_int_equal(hp(ok, &r, &used), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.cookie, "abc123");
	assert_string_equal(r.body, "{}");
	assert_int_equal(used, strlen(ok));
	assert_int_equal(hp("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{}", &r, &used), 1);
	assert_int_equal(hp("HTTP/1.1 200 OK\r\nContent-Le", &r, &used), 1);
	const char *ch = "HTTP/1.1 401 No\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	                 "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
	assert_int_equal(hp(ch, &r, &used), 0);
	assert_int_equal(r.status, 401);
	assert_int_equal(r.close, 1);
	assert_string_equal(r.body, "abcde");
	static const char *const bad[] = {
	    "HTTP/2 200 OK\r\n\r\n",
	    "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
	    "HTTP/1.1 200 OK\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
	    "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nSet-Cookie: kbs-session-id=a b\r\nContent-Length: 0\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hp(bad[i], &r, &used) != -1)
			fail_msg("accepted: %s", bad[i]);
	/* A head that never ends is refused once over the bound, not waited for. */
	static char big[HTTP_HEAD_MAX + 200];
	strcpy(big, "HTTP/1.1 200 OK\r\n");
	for (size_t n = strlen(big); n + 12 < sizeof(big) - 1; n = strlen(big))
		strcat(big, "X-Pad: 1\r\n");
	assert_int_equal(hp(big, &r, &used), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_good), cmocka_unit_test(test_config_bad),
	    cmocka_unit_test(test_b64),         cmocka_unit_test(test_json),
	    cmocka_unit_test(test_http),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
