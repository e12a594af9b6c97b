/*
 * The attestation flow (docs/attestation.md): every step's failure is one
 * log line and the end of the run; the state key goes to storaged only
 * after the broker's pin and signature checked and the JWE decrypted, and
 * every copy of it is zeroed before flow_run returns.
 */
#include <stdio.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/syscall.h>

#include "../storaged/storaged_protocol.h"
#include "b64.h"
#include "crypto.h"
#include "flow.h"
#include "json.h"

#define REPORT_LEN 1184
#define NONCE_MAX 128
#define B64_FIELD_MAX 4096

struct run {
	const struct bridge_config *cfg;
	struct http_client *hc;
	struct http_rsp rsp;
	struct tee_key tee;
	char nonce[NONCE_MAX];
	char body[8192];
	struct flow_result *res;
	int tries_left; /* new sessions still allowed after HTTP_ECLOSED (auth, attest) */
};

/* A broker that closes a new connection before answering may never have
 * seen the request; until the resource is asked for (the step the broker
 * counts a boot at), starting again with a new session changes nothing at
 * the broker, so the flow does, at most this many times in all. */
#define FLOW_TRIES 3
#define FLOW_RETRY (-2)

static int64_t now(void)
{
	return keel_time(KEEL_CLOCK_MONOTONIC);
}

/* A request whose answer must be 200 with a JSON object body. */
static int call(struct run *r, const char *method, const char *path, const char *body,
                const char *step, struct json_span *doc)
{
	char err[160];
	int64_t t0 = now();
	int rc = http_request(r->hc, method, path, body, body ? strlen(body) : 0, &r->rsp, err,
	                      sizeof(err));
	r->res->t.network_ns += now() - t0;
	if (rc == HTTP_ECLOSED && r->tries_left > 0) {
		keel_logf("attest-bridge: %s: %s; starting again with a new session (%d of %d)", step,
		           err, FLOW_TRIES - r->tries_left + 1, FLOW_TRIES);
		r->tries_left--;
		return FLOW_RETRY;
	}
	if (rc) {
		keel_logf("attest-bridge: %s: %s; staying locked", step, err);
		return -1;
	}
	if (r->rsp.status != 200) {
		struct json_span d, v;
		char detail[160] = "";
		if (json_doc(r->rsp.body, r->rsp.body_len, &d) == 0 &&
		    json_member(&d, "detail", &v) == 0)
			json_string(&v, detail, sizeof(detail), NULL);
		for (char *p = detail; *p; p++)
			if (*p < 0x20 || *p > 0x7e)
				*p = '?';
		keel_logf("attest-bridge: %s: the broker answered %d%s%s; staying locked", step,
		           r->rsp.status, detail[0] ? ": " : "", detail);
		return -1;
	}
	if (json_doc(r->rsp.body, r->rsp.body_len, doc) || doc->type != JSON_OBJECT) {
		keel_logf("attest-bridge: %s: the broker's answer is not a JSON object; "
		           "staying locked", step);
		return -1;
	}
	return 0;
}

static int get_str(const struct json_span *o, const char *key, char *out, size_t cap, size_t *n)
{
	struct json_span v;
	return json_member(o, key, &v) == 0 ? json_string(&v, out, cap, n) : -1;
}

static int auth(struct run *r)
{
	struct json_span doc;
	snprintf(r->body, sizeof(r->body),
	         "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"%s\"}}",
	         r->cfg->vm);
	r->hc->cookie[0] = 0;
	int rc = call(r, "POST", "/kbs/v0/auth", r->body, "auth", &doc);
	if (rc)
		return rc;
	size_t n;
	if (get_str(&doc, "nonce", r->nonce, sizeof(r->nonce), &n) < 0 || n < 16 ||
	    strspn(r->nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_") !=
	        n) {
		keel_logf("attest-bridge: auth: the challenge has no usable nonce; staying locked");
		return -1;
	}
	if (!r->hc->cookie[0]) {
		keel_logf("attest-bridge: auth: the broker set no kbs-session-id cookie; "
		           "staying locked");
		return -1;
	}
	return 0;
}

static int attest(struct run *r)
{
	uint8_t rd[64], report[REPORT_LEN + 512];
	static char report_b64[2 * REPORT_LEN];
	struct json_span doc;
	int64_t t0 = now();
	if (tee_key_new(&r->tee) || binding_report_data(r->nonce, &r->tee, rd)) {
		keel_logf("attest-bridge: attest: cannot make the TEE key; staying locked");
		return -1;
	}
	r->res->t.crypto_ns += now() - t0;
	t0 = now();
	long n = keel_attest_report(rd, report, sizeof(report));
	r->res->t.report_ns += now() - t0;
	if (n != REPORT_LEN) {
		keel_logf("attest-bridge: attest: no attestation report from the platform (%ld%s); "
		           "staying locked",
		           n, n == KEEL_ENOTSUP ? ": not supported here" : "");
		return -1;
	}
	if (b64_encode(B64_STD, report, REPORT_LEN, report_b64, sizeof(report_b64)))
		return -1;
	snprintf(r->body, sizeof(r->body),
	         "{\"runtime-data\":{\"nonce\":\"%s\",\"tee-pubkey\":{\"kty\":\"EC\",\"crv\":\"P-256\","
	         "\"alg\":\"ECDH-ES+A256KW\",\"x\":\"%s\",\"y\":\"%s\"}},"
	         "\"tee-evidence\":{\"primary_evidence\":{\"attestation_report\":\"%s\","
	         "\"cert_chain\":null},\"additional_evidence\":\"\"}}",
	         r->nonce, r->tee.x, r->tee.y, report_b64);
	return call(r, "POST", "/kbs/v0/attest", r->body, "attest", &doc);
}

/* The resource JSON's members, decoded into these fixed buffers. */
struct resource {
	char protected_b64[1024], ek[128], iv[64], ct[B64_FIELD_MAX], tag[64];
	char spki_b64[512], sig_b64[256];
	uint8_t spki[384], sig[160];
	size_t spki_len, sig_len;
};

static int read_resource(const struct json_span *doc, struct resource *x)
{
	size_t n;
	return get_str(doc, "protected", x->protected_b64, sizeof(x->protected_b64), &n) ||
	       get_str(doc, "encrypted_key", x->ek, sizeof(x->ek), &n) ||
	       get_str(doc, "iv", x->iv, sizeof(x->iv), &n) ||
	       get_str(doc, "ciphertext", x->ct, sizeof(x->ct), &n) ||
	       get_str(doc, "tag", x->tag, sizeof(x->tag), &n) ||
	       get_str(doc, "keel-kbs-key", x->spki_b64, sizeof(x->spki_b64), &n) ||
	       b64_decode(B64_STD, x->spki_b64, n, x->spki, sizeof(x->spki), &x->spki_len) ||
	       get_str(doc, "keel-kbs-sig", x->sig_b64, sizeof(x->sig_b64), &n) ||
	       b64_decode(B64_STD, x->sig_b64, n, x->sig, sizeof(x->sig), &x->sig_len)
	           ? -1
	           : 0;
}

/* The plaintext: {"key", "boot", "min-generation", "ack-key"}. */
struct secret {
	uint8_t key[32], ack_key[32];
	uint64_t boot, min_generation;
};

static int read_secret(const char *pt, size_t len, struct secret *s)
{
	struct json_span doc, v;
	char b64[64];
	size_t n, kl = 0, al = 0;
	int rc = json_doc(pt, len, &doc) || doc.type != JSON_OBJECT ||
	         get_str(&doc, "key", b64, sizeof(b64), &n) ||
	         b64_decode(B64_STD, b64, n, s->key, sizeof(s->key), &kl) || kl != 32 ||
	         get_str(&doc, "ack-key", b64, sizeof(b64), &n) ||
	         b64_decode(B64_STD, b64, n, s->ack_key, sizeof(s->ack_key), &al) || al != 32 ||
	         json_member(&doc, "boot", &v) || json_u64(&v, &s->boot) || s->boot == 0 ||
	         json_member(&doc, "min-generation", &v) || json_u64(&v, &s->min_generation)
	             ? -1
	             : 0;
	explicit_bzero(b64, sizeof(b64));
	return rc;
}

static int resource(struct run *r, struct secret *sec)
{
	static struct resource x;
	static uint8_t pt[2048];
	char path[160], err[200];
	struct json_span doc;
	size_t ptl = 0;
	snprintf(path, sizeof(path), "/kbs/v0/resource/keel/state-key/%s", r->cfg->vm);
	if (call(r, "GET", path, NULL, "resource", &doc))
		return -1;
	if (read_resource(&doc, &x)) {
		keel_logf("attest-bridge: resource: the response lacks a JWE or keel-kbs-key/"
		           "keel-kbs-sig member, or one is malformed; staying locked");
		return -1;
	}
	int64_t t0 = now();
	int rc = broker_verify(r->cfg->pin, x.spki, x.spki_len, x.sig, x.sig_len, x.protected_b64,
	                       r->nonce, err, sizeof(err));
	if (rc == 0) {
		struct jwe_parts j = {x.protected_b64, x.ek, x.iv, x.ct, x.tag};
		rc = jwe_decrypt(&r->tee, &j, pt, sizeof(pt) - 1, &ptl, err, sizeof(err));
	}
	if (rc == 0 && read_secret((const char *)pt, ptl, sec)) {
		snprintf(err, sizeof(err), "the decrypted resource is not the state-key JSON");
		rc = -1;
	}
	explicit_bzero(pt, sizeof(pt));
	r->res->t.crypto_ns += now() - t0;
	if (rc)
		keel_logf("attest-bridge: %s; staying locked", err);
	return rc;
}

static int unlock_storaged(struct run *r, struct secret *sec)
{
	struct storaged_unlock_boot u;
	struct storaged_rsp rsp;
	u.u.hdr.op = STORAGED_OP_UNLOCK;
	u.u.hdr.len = sizeof(u) - sizeof(struct keel_msg);
	memcpy(u.u.key, sec->key, sizeof(u.u.key));
	u.u.min_generation = sec->min_generation;
	u.boot = sec->boot;
	long n = keel_chan_call(r->cfg->key, &u, sizeof(u), &rsp, sizeof(rsp));
	explicit_bzero(&u, sizeof(u));
	explicit_bzero(sec->key, sizeof(sec->key));
	if (n != (long)sizeof(rsp) || rsp.status != STORAGED_OK) {
		keel_logf("attest-bridge: storaged refused the key (%s %ld); not acknowledging",
		           n == (long)sizeof(rsp) ? "status" : "call", n == (long)sizeof(rsp)
		                                                         ? (long)rsp.status
		                                                         : n);
		return -1;
	}
	r->res->generation = rsp.size;
	r->res->boot = sec->boot;
	return 0;
}

static int ack(struct run *r, struct secret *sec)
{
	uint8_t mac[32];
	char mac_b64[48];
	struct json_span doc;
	int64_t t0 = now();
	int rc = binding_ack_mac(sec->ack_key, sec->boot, r->res->generation, mac);
	explicit_bzero(sec->ack_key, sizeof(sec->ack_key));
	if (rc == 0)
		rc = b64_encode(B64_STD, mac, sizeof(mac), mac_b64, sizeof(mac_b64));
	r->res->t.crypto_ns += now() - t0;
	if (rc)
		return -1;
	snprintf(r->body, sizeof(r->body),
	         "{\"vm\":\"%s\",\"boot\":%llu,\"generation\":%llu,\"mac\":\"%s\"}", r->cfg->vm,
	         (unsigned long long)sec->boot, (unsigned long long)r->res->generation, mac_b64);
	return call(r, "POST", "/kbs/v0/keel/ack", r->body, "ack", &doc);
}

int flow_run(const struct bridge_config *cfg, struct http_client *hc, struct flow_result *res)
{
	static struct run r;
	struct secret sec;
	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.cfg = cfg;
	r.hc = hc;
	r.res = res;
	r.tries_left = FLOW_TRIES - 1;
	int rc;
	do {
		tee_key_free(&r.tee);
		rc = auth(&r);
		if (rc == 0)
			rc = attest(&r);
	} while (rc == FLOW_RETRY);
	r.tries_left = 0; /* the resource counts a boot: never asked twice */
	if (rc == 0)
		rc = resource(&r, &sec);
	tee_key_free(&r.tee);
	if (rc == 0)
		rc = unlock_storaged(&r, &sec);
	if (rc == 0)
		rc = ack(&r, &sec);
	explicit_bzero(&sec, sizeof(sec));
	explicit_bzero(&r.rsp, sizeof(r.rsp));
	explicit_bzero(hc->buf, sizeof(hc->buf));
	return rc;
}
