/*
 * attest-bridge's response parsing: the input is an HTTP response as the
 * broker (or the host in between) could send it; parsed as the bridge
 * does (http_parse), its body as JSON, the JWE and Keel members looked up
 * and decoded (json.c, b64.c), and the protected header decoded and read.
 */
#include <stdint.h>
#include <string.h>

#include "b64.h"
#include "http.h"
#include "json.h"

static void member_b64(const struct json_span *o, const char *key, enum b64_kind kind)
{
	struct json_span v;
	static char s[8192];
	static uint8_t out[8192];
	size_t n, m;
	if (json_member(o, key, &v) == 0 && json_string(&v, s, sizeof(s), &n) == 0)
		b64_decode(kind, s, n, out, sizeof(out), &m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_rsp r;
	char err[128];
	size_t used;
	struct json_span doc, v;
	if (http_parse((const char *)data, size, &r, &used, err, sizeof(err)) != 0)
		return 0;
	if (json_doc(r.body, r.body_len, &doc))
		return 0;
	static const char *const url[] = {"protected", "encrypted_key", "iv", "ciphertext", "tag"};
	for (size_t i = 0; i < 5; i++)
		member_b64(&doc, url[i], B64_URL);
	member_b64(&doc, "keel-kbs-key", B64_STD);
	member_b64(&doc, "keel-kbs-sig", B64_STD);
	member_b64(&doc, "nonce", B64_STD);
	uint64_t u;
	if (json_member(&doc, "boot", &v) == 0)
		json_u64(&v, &u);
	/* The protected header: base64url of JSON with an epk object. */
	static char p[1024], hdr[1024];
	size_t n, hn;
	if (json_member(&doc, "protected", &v) == 0 && json_string(&v, p, sizeof(p), &n) == 0 &&
	    b64_decode(B64_URL, p, n, (uint8_t *)hdr, sizeof(hdr), &hn) == 0) {
		struct json_span h, epk;
		if (json_doc(hdr, hn, &h) == 0 && json_member(&h, "epk", &epk) == 0) {
			member_b64(&epk, "x", B64_URL);
			member_b64(&epk, "y", B64_URL);
		}
	}
	return 0;
}
