/* Routing, errors, sessions, and the small endpoints: auth, resource, ack. */
#include "server.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b64.h"
#include "jwe.h"
#include "log.h"
#include "request.h"

#define ERR_PREFIX "https://github.com/confidential-containers/kbs/errors/"

void kbs_reply_json(struct kbs_reply *r, unsigned status, const char *json)
{
	free(r->body);
	r->status = status;
	r->body = strdup(json);
}

void kbs_reply_error(struct kbs_reply *r, unsigned status, const char *name, const char *fmt, ...)
{
	char detail[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	kbs_log("%u %s: %s", status, name, detail);
	json_t *j = json_pack("{s:s+, s:s}", "type", ERR_PREFIX, name, "detail", detail);
	free(r->body);
	r->status = status;
	r->body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
}

int kbs_session_lookup(struct kbs_server *s, const char *cookie, struct kbs_db_session *out,
		       struct kbs_reply *r)
{
	if (!cookie || strlen(cookie) != KBS_DB_COOKIE_LEN) {
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "no valid kbs-session-id cookie");
		return -1;
	}
	int rc = kbs_db_session_get(s->db, cookie, out);
	if (rc == KBS_DB_NOT_FOUND) {
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "unknown session");
		return -1;
	}
	if (rc) {
		kbs_reply_error(r, 500, "InternalError", "session lookup: %s", kbs_db_errmsg(s->db));
		return -1;
	}
	if (out->expires <= (int64_t)time(NULL)) {
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "session expired (vm %s)", out->vm);
		return -1;
	}
	return 0;
}

void kbs_handle_auth(struct kbs_server *s, const char *body, size_t len, struct kbs_reply *r)
{
	struct kbs_auth_req req;
	struct kbs_db_session ses;
	char err[256];
	if (kbs_parse_auth(body, len, &req, err, sizeof(err))) {
		kbs_reply_error(r, 400, "InvalidRequest", "auth: %s", err);
		return;
	}
	int rc = kbs_db_session_create(s->db, req.vm, (int64_t)time(NULL), s->session_ttl, &ses);
	if (rc) {
		kbs_reply_error(r, 500, "InternalError", "auth: session: %s", kbs_db_errmsg(s->db));
		return;
	}
	char json[128];
	snprintf(json, sizeof(json), "{\"nonce\":\"%s\",\"extra-params\":\"\"}", ses.nonce);
	kbs_reply_json(r, 200, json);
	snprintf(r->set_cookie, sizeof(r->set_cookie), "kbs-session-id=%s; Path=/kbs; Max-Age=%lld; HttpOnly",
		 ses.cookie, (long long)s->session_ttl);
	kbs_log("auth: vm %s: new session", req.vm);
}

/* The plaintext of keel/state-key/<vm> (docs/kbs.md step 5) into pt[cap]. */
static long state_key_plaintext(const struct kbs_db_vm *vm, const struct kbs_db_session *ses, char *pt,
				size_t cap)
{
	char key[48], ack[48];
	b64_std_encode(vm->state_key, KBS_DB_KEY_LEN, key);
	b64_std_encode(ses->ack_key, KBS_DB_KEY_LEN, ack);
	int n = snprintf(pt, cap, "{\"key\":\"%s\",\"boot\":%llu,\"min-generation\":%llu,\"ack-key\":\"%s\"}",
			 key, (unsigned long long)ses->boot, (unsigned long long)ses->min_generation, ack);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(ack, sizeof(ack));
	return n > 0 && (size_t)n < cap ? n : -1;
}

/* Splits "<repo>/<type>/<tag>" into three names; -1 if malformed. */
static int split_path(const char *path, char parts[3][KBS_DB_NAME_MAX + 1])
{
	const char *p = path;
	for (int i = 0; i < 3; i++) {
		const char *end = i < 2 ? strchr(p, '/') : p + strlen(p);
		if (!end || end == p || end - p > KBS_DB_NAME_MAX)
			return -1;
		memcpy(parts[i], p, (size_t)(end - p));
		parts[i][end - p] = '\0';
		if (!kbs_vm_name_ok(parts[i]))
			return -1;
		p = end + 1;
	}
	return 0;
}

/* Encrypts pt to the session's TEE key and adds the identity members. */
static void reply_jwe(struct kbs_server *s, const struct kbs_db_session *ses, const uint8_t *pt, size_t len,
		      struct kbs_reply *r)
{
	struct kbs_tee_key key;
	char err[256], sig[256], msg[512];
	if (kbs_tee_key_from_json(ses->tee_pubkey, &key, err, sizeof(err))) {
		kbs_reply_error(r, 500, "InternalError", "resource: stored tee-pubkey: %s", err);
		return;
	}
	json_t *jwe = kbs_jwe_encrypt(key.xb, key.yb, pt, len, err, sizeof(err));
	if (!jwe) {
		kbs_reply_error(r, 500, "InternalError", "resource: %s", err);
		return;
	}
	const char *prot = json_string_value(json_object_get(jwe, "protected"));
	int n = snprintf(msg, sizeof(msg), "%s.%s", prot, ses->nonce);
	if (n <= 0 || (size_t)n >= sizeof(msg) || kbs_identity_sign_b64(&s->id, msg, (size_t)n, sig, sizeof(sig))) {
		json_decref(jwe);
		kbs_reply_error(r, 500, "InternalError", "resource: identity signature failed");
		return;
	}
	json_object_set_new(jwe, "keel-kbs-key", json_string(s->id.spki_b64));
	json_object_set_new(jwe, "keel-kbs-sig", json_string(sig));
	free(r->body);
	r->body = json_dumps(jwe, JSON_COMPACT | JSON_PRESERVE_ORDER);
	r->status = r->body ? 200 : 500;
	json_decref(jwe);
}

void kbs_handle_resource(struct kbs_server *s, const char *cookie, const char *path, struct kbs_reply *r)
{
	struct kbs_db_session ses;
	char parts[3][KBS_DB_NAME_MAX + 1];
	if (kbs_session_lookup(s, cookie, &ses, r))
		return;
	if (!ses.attested) {
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "resource: session of vm %s not attested", ses.vm);
		return;
	}
	if (split_path(path, parts)) {
		kbs_reply_error(r, 404, "ResourceNotFound", "resource: malformed path");
		return;
	}
	if (!strcmp(parts[0], "keel") && !strcmp(parts[1], "state-key")) {
		struct kbs_db_vm vm;
		char pt[256];
		if (strcmp(parts[2], ses.vm) != 0) {
			kbs_reply_error(r, 401, "UnAuthenticatedCookie", "resource: session of vm %s asked for %s",
					ses.vm, parts[2]);
			return;
		}
		if (kbs_db_vm_get(s->db, ses.vm, &vm)) {
			kbs_reply_error(r, 500, "InternalError", "resource: vm %s: %s", ses.vm, kbs_db_errmsg(s->db));
			return;
		}
		long n = state_key_plaintext(&vm, &ses, pt, sizeof(pt));
		OPENSSL_cleanse(&vm, sizeof(vm));
		if (n < 0)
			kbs_reply_error(r, 500, "InternalError", "resource: plaintext too long");
		else
			reply_jwe(s, &ses, (const uint8_t *)pt, (size_t)n, r);
		OPENSSL_cleanse(pt, sizeof(pt));
		if (r->status == 200)
			kbs_log("resource: vm %s: state key sent (boot %llu)", ses.vm, (unsigned long long)ses.boot);
		return;
	}
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = kbs_db_resource_get(s->db, parts[0], parts[1], parts[2], &data, &len);
	if (rc == KBS_DB_NOT_FOUND) {
		kbs_reply_error(r, 404, "ResourceNotFound", "resource %s/%s/%s not found", parts[0], parts[1], parts[2]);
		return;
	}
	if (rc) {
		kbs_reply_error(r, 500, "InternalError", "resource: %s", kbs_db_errmsg(s->db));
		return;
	}
	reply_jwe(s, &ses, data, len, r);
	OPENSSL_cleanse(data, len);
	free(data);
	kbs_log("resource: vm %s: %s/%s/%s sent", ses.vm, parts[0], parts[1], parts[2]);
}

/* HMAC-SHA256(ack-key, "keel-ack" || u64be boot || u64be generation). */
static void ack_mac(const uint8_t key[32], uint64_t boot, uint64_t gen, uint8_t out[32])
{
	uint8_t msg[24] = "keel-ack";
	for (int i = 0; i < 8; i++) {
		msg[8 + i] = (uint8_t)(boot >> (56 - 8 * i));
		msg[16 + i] = (uint8_t)(gen >> (56 - 8 * i));
	}
	unsigned n = 32;
	HMAC(EVP_sha256(), key, 32, msg, sizeof(msg), out, &n);
}

void kbs_handle_ack(struct kbs_server *s, const char *cookie, const char *body, size_t len, struct kbs_reply *r)
{
	struct kbs_db_session ses;
	struct kbs_ack_req req;
	struct kbs_db_vm vm;
	char err[256];
	uint8_t mac[32];
	if (kbs_session_lookup(s, cookie, &ses, r))
		return;
	if (kbs_parse_ack(body, len, &req, err, sizeof(err))) {
		kbs_reply_error(r, 400, "InvalidRequest", "ack: %s", err);
		return;
	}
	if (!ses.attested || strcmp(req.vm, ses.vm) != 0) {
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "ack: session not attested for vm %s", req.vm);
		return;
	}
	ack_mac(ses.ack_key, req.boot, req.generation, mac);
	int good = CRYPTO_memcmp(mac, req.mac, 32) == 0;
	OPENSSL_cleanse(&ses.ack_key, sizeof(ses.ack_key));
	if (!good) {
		kbs_reply_error(r, 401, "AckFailed", "ack: vm %s boot %llu: bad MAC", req.vm,
				(unsigned long long)req.boot);
		return;
	}
	if (req.boot != ses.boot || kbs_db_vm_get(s->db, req.vm, &vm) || vm.boot != req.boot || vm.acked) {
		kbs_reply_error(r, 409, "BootInProgress", "ack: vm %s boot %llu is not the current unacknowledged boot",
				req.vm, (unsigned long long)req.boot);
		return;
	}
	OPENSSL_cleanse(vm.state_key, sizeof(vm.state_key));
	int rc = kbs_db_ack(s->db, req.vm, req.boot, req.generation);
	if (rc == KBS_DB_STALE_BOOT) {
		kbs_reply_error(r, 409, "BootInProgress", "ack: vm %s boot %llu is stale", req.vm,
				(unsigned long long)req.boot);
		return;
	}
	if (rc || kbs_db_vm_get(s->db, req.vm, &vm)) {
		kbs_reply_error(r, 500, "InternalError", "ack: %s", kbs_db_errmsg(s->db));
		return;
	}
	OPENSSL_cleanse(vm.state_key, sizeof(vm.state_key));
	char json[160];
	snprintf(json, sizeof(json), "{\"vm\":\"%s\",\"boot\":%llu,\"min-generation\":%llu}", vm.name,
		 (unsigned long long)req.boot, (unsigned long long)vm.acked_generation);
	kbs_reply_json(r, 200, json);
	kbs_log("ack: vm %s boot %llu generation %llu (min-generation now %llu)", vm.name,
		(unsigned long long)req.boot, (unsigned long long)req.generation,
		(unsigned long long)vm.acked_generation);
}

void kbs_route(struct kbs_server *s, const char *method, const char *url, const char *cookie,
	       const char *body, size_t len, bool too_large, struct kbs_reply *r)
{
	static const char RES[] = "/kbs/v0/resource/";
	bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET");
	if (too_large) {
		kbs_reply_error(r, 413, "PayloadTooLarge", "%s %s: body over %d bytes", method, url, KBS_BODY_MAX);
		return;
	}
	if (!strcmp(url, "/kbs/v0/auth")) {
		if (post)
			kbs_handle_auth(s, body, len, r);
		else
			kbs_reply_error(r, 405, "MethodNotAllowed", "%s %s", method, url);
	} else if (!strcmp(url, "/kbs/v0/attest")) {
		if (post)
			kbs_handle_attest(s, cookie, body, len, r);
		else
			kbs_reply_error(r, 405, "MethodNotAllowed", "%s %s", method, url);
	} else if (!strcmp(url, "/kbs/v0/keel/ack")) {
		if (post)
			kbs_handle_ack(s, cookie, body, len, r);
		else
			kbs_reply_error(r, 405, "MethodNotAllowed", "%s %s", method, url);
	} else if (!strncmp(url, RES, sizeof(RES) - 1)) {
		if (get)
			kbs_handle_resource(s, cookie, url + sizeof(RES) - 1, r);
		else
			kbs_reply_error(r, 405, "MethodNotAllowed", "%s resource", method);
	} else {
		kbs_reply_error(r, 404, "ResourceNotFound", "no endpoint %.64s", url);
	}
}
