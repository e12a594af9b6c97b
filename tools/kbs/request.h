/* The broker's request bodies (docs/kbs.md "Wire protocol"), parsed from
 * JSON into typed structs in this one place: the handlers work on these, and
 * the fuzzer (tests/fuzz/kbs-request) calls these functions. Every function
 * returns 0, or -1 with a reason in err (safe to log: no key material). */
#ifndef KBS_REQUEST_H
#define KBS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#define KBS_VM_NAME_MAX 63
#define KBS_NONCE_MAX 44          /* base64 of 32 bytes */
#define KBS_JWK_COORD_LEN 43      /* base64url (no pad) of 32 bytes */
#define KBS_SNP_REPORT_LEN 1184
#define KBS_CERT_MAX 8192         /* a VCEK DER is ~1.4 KiB */
#define KBS_PROTOCOL_VERSION "0.4.0"

struct kbs_auth_req {
	char vm[KBS_VM_NAME_MAX + 1];
};

/* The TEE's P-256 key: the JWK coordinates as sent and decoded. */
struct kbs_tee_key {
	char x[KBS_JWK_COORD_LEN + 1];
	char y[KBS_JWK_COORD_LEN + 1];
	uint8_t xb[32];
	uint8_t yb[32];
};

struct kbs_attest_req {
	char nonce[KBS_NONCE_MAX + 1];
	struct kbs_tee_key key;
	uint8_t report[KBS_SNP_REPORT_LEN];
	size_t vcek_len;          /* 0: no VCEK in the evidence */
	uint8_t vcek[KBS_CERT_MAX];
};

struct kbs_ack_req {
	char vm[KBS_VM_NAME_MAX + 1];
	uint64_t boot;
	uint64_t generation;
	uint8_t mac[32];
};

/* VM names: 1..63 of [A-Za-z0-9._-] (they appear in resource paths). */
int kbs_vm_name_ok(const char *s);

int kbs_parse_auth(const char *body, size_t len, struct kbs_auth_req *out, char *err, size_t errlen);
int kbs_parse_attest(const char *body, size_t len, struct kbs_attest_req *out, char *err, size_t errlen);
int kbs_parse_ack(const char *body, size_t len, struct kbs_ack_req *out, char *err, size_t errlen);
/* The stored form of a TEE key (the JWK, canonical) and its parse back. */
long kbs_tee_key_json(const struct kbs_tee_key *key, char *out, size_t cap);
int kbs_tee_key_from_json(const char *json, struct kbs_tee_key *out, char *err, size_t errlen);
/* The JCS text the report_data binds (docs/kbs.md): writes it NUL-terminated
 * into out[cap]; returns its length or -1. */
long kbs_runtime_data_jcs(const char *nonce, const struct kbs_tee_key *key, char *out, size_t cap);

#endif
