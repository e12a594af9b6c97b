/* JSON request parsing (jansson) for /auth, /attest and /keel/ack. */
#include "request.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b64.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int kbs_vm_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > KBS_VM_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return s[0] != '.';
}

/* Loads an object; JSON_REJECT_DUPLICATES: one member, one meaning. */
static json_t *load(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		fail(err, errlen, "malformed JSON at %d:%d: %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		fail(err, errlen, "body is not a JSON object");
		return NULL;
	}
	return j;
}

/* A string member of at most max bytes, copied into out[max + 1]. */
static int get_str(json_t *obj, const char *key, char *out, size_t max, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return fail(err, errlen, "member \"%s\" missing or not a string", key);
	size_t n = json_string_length(v);
	if (n > max || strlen(json_string_value(v)) != n)
		return fail(err, errlen, "member \"%s\" too long or has NUL", key);
	memcpy(out, json_string_value(v), n + 1);
	return 0;
}

static int get_u64(json_t *obj, const char *key, uint64_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(err, errlen, "member \"%s\" missing or not a non-negative integer", key);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

int kbs_parse_auth(const char *body, size_t len, struct kbs_auth_req *out, char *err, size_t errlen)
{
	char version[16], tee[16];
	json_t *j = load(body, len, err, errlen);
	if (!j)
		return -1;
	int rc = -1;
	if (get_str(j, "version", version, sizeof(version) - 1, err, errlen) ||
	    get_str(j, "tee", tee, sizeof(tee) - 1, err, errlen))
		goto out;
	if (strcmp(version, KBS_PROTOCOL_VERSION) != 0) {
		fail(err, errlen, "protocol version \"%s\" is not %s", version, KBS_PROTOCOL_VERSION);
		goto out;
	}
	if (strcmp(tee, "snp") != 0) {
		fail(err, errlen, "tee \"%s\" is not snp", tee);
		goto out;
	}
	json_t *extra = json_object_get(j, "extra-params");
	if (!json_is_object(extra)) {
		fail(err, errlen, "extra-params is not an object with keel-vm");
		goto out;
	}
	if (get_str(extra, "keel-vm", out->vm, KBS_VM_NAME_MAX, err, errlen))
		goto out;
	if (!kbs_vm_name_ok(out->vm)) {
		fail(err, errlen, "keel-vm is not a valid VM name");
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

static int parse_tee_key(json_t *jwk, struct kbs_tee_key *k, char *err, size_t errlen)
{
	char kty[8], crv[8], alg[24];
	if (!json_is_object(jwk))
		return fail(err, errlen, "tee-pubkey is not an object");
	if (get_str(jwk, "kty", kty, sizeof(kty) - 1, err, errlen) ||
	    get_str(jwk, "crv", crv, sizeof(crv) - 1, err, errlen) ||
	    get_str(jwk, "alg", alg, sizeof(alg) - 1, err, errlen))
		return -1;
	if (strcmp(kty, "EC") || strcmp(crv, "P-256") || strcmp(alg, "ECDH-ES+A256KW"))
		return fail(err, errlen, "tee-pubkey is not EC P-256 ECDH-ES+A256KW");
	if (get_str(jwk, "x", k->x, KBS_JWK_COORD_LEN, err, errlen) ||
	    get_str(jwk, "y", k->y, KBS_JWK_COORD_LEN, err, errlen))
		return -1;
	if (b64_url_decode(k->x, strlen(k->x), k->xb, 32) != 32 ||
	    b64_url_decode(k->y, strlen(k->y), k->yb, 32) != 32)
		return fail(err, errlen, "tee-pubkey x/y are not base64url of 32 bytes");
	return 0;
}

/* cert_chain: null/absent/[] or entries {"cert_type","data"}; the one VCEK is kept. */
static int parse_chain(json_t *chain, struct kbs_attest_req *out, char *err, size_t errlen)
{
	out->vcek_len = 0;
	if (!chain || json_is_null(chain))
		return 0;
	if (!json_is_array(chain) || json_array_size(chain) > 8)
		return fail(err, errlen, "cert_chain is not an array of at most 8 entries");
	size_t i;
	json_t *e;
	json_array_foreach(chain, i, e) {
		char type[16];
		if (!json_is_object(e) || get_str(e, "cert_type", type, sizeof(type) - 1, err, errlen))
			return fail(err, errlen, "cert_chain[%zu] has no cert_type", i);
		if (strcmp(type, "VCEK") != 0)
			continue; /* ARK/ASK come from the broker's configuration, never the evidence */
		if (out->vcek_len)
			return fail(err, errlen, "cert_chain has more than one VCEK");
		json_t *d = json_object_get(e, "data");
		if (!json_is_string(d))
			return fail(err, errlen, "cert_chain[%zu].data is not a string", i);
		long n = b64_std_decode(json_string_value(d), json_string_length(d), out->vcek, sizeof(out->vcek));
		if (n <= 0)
			return fail(err, errlen, "cert_chain[%zu].data is not base64 of at most %d bytes", i,
				    KBS_CERT_MAX);
		out->vcek_len = (size_t)n;
	}
	return 0;
}

static int parse_evidence(json_t *ev, struct kbs_attest_req *out, char *err, size_t errlen)
{
	if (!json_is_object(ev))
		return fail(err, errlen, "tee-evidence is not an object");
	json_t *add = json_object_get(ev, "additional_evidence");
	if (add && !(json_is_string(add) && json_string_length(add) == 0))
		return fail(err, errlen, "additional_evidence is not \"\" (not supported)");
	json_t *p = json_object_get(ev, "primary_evidence");
	if (!json_is_object(p))
		return fail(err, errlen, "primary_evidence is not an object");
	json_t *r = json_object_get(p, "attestation_report");
	if (!json_is_string(r))
		return fail(err, errlen, "attestation_report is not a string");
	if (b64_std_decode(json_string_value(r), json_string_length(r), out->report, sizeof(out->report)) !=
	    KBS_SNP_REPORT_LEN)
		return fail(err, errlen, "attestation_report is not base64 of %d bytes", KBS_SNP_REPORT_LEN);
	return parse_chain(json_object_get(p, "cert_chain"), out, err, errlen);
}

int kbs_parse_attest(const char *body, size_t len, struct kbs_attest_req *out, char *err, size_t errlen)
{
	json_t *j = load(body, len, err, errlen);
	if (!j)
		return -1;
	int rc = -1;
	json_t *rd = json_object_get(j, "runtime-data");
	if (!json_is_object(rd)) {
		fail(err, errlen, "runtime-data is not an object");
		goto out;
	}
	if (get_str(rd, "nonce", out->nonce, KBS_NONCE_MAX, err, errlen) ||
	    parse_tee_key(json_object_get(rd, "tee-pubkey"), &out->key, err, errlen) ||
	    parse_evidence(json_object_get(j, "tee-evidence"), out, err, errlen))
		goto out;
	rc = 0;
out:
	json_decref(j);
	return rc;
}

int kbs_parse_ack(const char *body, size_t len, struct kbs_ack_req *out, char *err, size_t errlen)
{
	char mac[48];
	json_t *j = load(body, len, err, errlen);
	if (!j)
		return -1;
	int rc = -1;
	if (get_str(j, "vm", out->vm, KBS_VM_NAME_MAX, err, errlen) ||
	    get_u64(j, "boot", &out->boot, err, errlen) ||
	    get_u64(j, "generation", &out->generation, err, errlen) ||
	    get_str(j, "mac", mac, sizeof(mac) - 1, err, errlen))
		goto out;
	if (b64_std_decode(mac, strlen(mac), out->mac, sizeof(out->mac)) != 32) {
		fail(err, errlen, "mac is not base64 of 32 bytes");
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

long kbs_runtime_data_jcs(const char *nonce, const struct kbs_tee_key *key, char *out, size_t cap)
{
	/* The nonce is base64 and x/y base64url: no character needs a JSON
	 * escape, so this text is the RFC 8785 form (checked by the caller's
	 * parse: nonce came from our own challenge). */
	int n = snprintf(out, cap,
			 "{\"additional-evidence\":\"\",\"nonce\":\"%s\",\"tee-pubkey\":{\"alg\":\"ECDH-ES+A256KW\","
			 "\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}}",
			 nonce, key->x, key->y);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}

long kbs_tee_key_json(const struct kbs_tee_key *key, char *out, size_t cap)
{
	int n = snprintf(out, cap, "{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
			 key->x, key->y);
	if (n < 0 || (size_t)n >= cap)
		return -1;
	return n;
}

int kbs_tee_key_from_json(const char *json, struct kbs_tee_key *out, char *err, size_t errlen)
{
	json_t *j = load(json, strlen(json), err, errlen);
	if (!j)
		return -1;
	int rc = parse_tee_key(j, out, err, errlen);
	json_decref(j);
	return rc;
}
