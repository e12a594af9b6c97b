/* POST /kbs/v0/attest: verify the SNP evidence, then the one DB transaction
 * that consumes the challenge and hands out a boot (docs/kbs.md step 3). */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jwe.h"
#include "log.h"
#include "request.h"
#include "server.h"

/* Evidence failed: burn the challenge (never answerable again), reply 401. */
static void refuse(struct kbs_server *s, const struct kbs_db_session *ses, struct kbs_reply *r,
		   const char *why)
{
	int rc = kbs_db_challenge_burn(s->db, ses->cookie);
	if (rc && rc != KBS_DB_CHALLENGE_USED)
		kbs_log("attest: vm %s: burning the challenge failed: %s", ses->vm, kbs_db_errmsg(s->db));
	kbs_reply_error(r, 401, "AttestationFailed", "attest: vm %s: %s", ses->vm, why);
}

static bool measurement_registered(const struct kbs_db_vm *vm, const uint8_t *m, char hex[97])
{
	for (int i = 0; i < 48; i++)
		snprintf(hex + 2 * i, 3, "%02x", m[i]);
	for (unsigned i = 0; i < vm->n_meas && i < KBS_DB_MEAS_MAX; i++)
		if (!strcmp(vm->meas[i], hex))
			return true;
	return false;
}

/* Signature and chain: the real chain first, then the emulated one. Returns
 * 0 and sets *emulated, or -1 with why. */
static int verify_chain(struct kbs_server *s, const struct kbs_attest_req *req, bool *emulated, char *why,
			size_t cap)
{
	char err_snp[200] = "no --snp-chain configured", err_emu[200] = "";
	bool marked = false;
	if (s->have_snp &&
	    !snp_report_verify(req->report, req->vcek, req->vcek_len, &s->snp, &marked, err_snp, sizeof(err_snp))) {
		if (!marked) {
			*emulated = false;
			return 0;
		}
		/* The VCEK carries the emulated marker: an emulated chain placed in
		 * --snp-chain by mistake stays emulated. */
	} else if (!s->have_emu || snp_report_verify(req->report, req->vcek, req->vcek_len, &s->emu, &marked,
						     err_emu, sizeof(err_emu))) {
		snprintf(why, cap, "%s%s%s", err_snp, err_emu[0] ? "; emulated chain: " : "", err_emu);
		return -1;
	}
	if (!s->allow_emulated) {
		snprintf(why, cap, "report signed by the EMULATED chain, refused (no --allow-emulated)");
		return -1;
	}
	*emulated = true;
	return 0;
}

/* All evidence checks (docs/kbs.md "Checks, in order"); -1 with why. */
static int verify_evidence(struct kbs_server *s, const struct kbs_db_session *ses,
			   const struct kbs_attest_req *req, bool *emulated, char *why, size_t cap)
{
	struct kbs_db_vm vm;
	char jcs[512], hex[97];
	uint8_t rd[64];
	if (strcmp(req->nonce, ses->nonce) != 0) {
		snprintf(why, cap, "runtime-data nonce is not this session's challenge");
		return -1;
	}
	EVP_PKEY *k = kbs_p256_pubkey(req->key.xb, req->key.yb);
	if (!k) {
		snprintf(why, cap, "tee-pubkey is not a point on P-256");
		return -1;
	}
	EVP_PKEY_free(k);
	int rc = kbs_db_vm_get(s->db, ses->vm, &vm);
	if (rc) {
		snprintf(why, cap, "%s", rc == KBS_DB_NOT_FOUND ? "VM not registered" : kbs_db_errmsg(s->db));
		return -1;
	}
	OPENSSL_cleanse(vm.state_key, sizeof(vm.state_key));
	if (snp_report_check_fields(req->report, vm.policy & KBS_VM_POLICY_DEBUG, why, cap))
		return -1;
	if (verify_chain(s, req, emulated, why, cap))
		return -1;
	if (!measurement_registered(&vm, req->report + SNP_OFF_MEASUREMENT, hex)) {
		snprintf(why, cap, "measurement %s is not registered", hex);
		return -1;
	}
	long n = kbs_runtime_data_jcs(req->nonce, &req->key, jcs, sizeof(jcs));
	if (n < 0) {
		snprintf(why, cap, "runtime data too long");
		return -1;
	}
	snp_expected_report_data(jcs, (size_t)n, rd);
	if (CRYPTO_memcmp(rd, req->report + SNP_OFF_REPORT_DATA, 64) != 0) {
		snprintf(why, cap, "report_data does not bind this nonce and tee-pubkey");
		return -1;
	}
	return 0;
}

/* The transaction; maps its refusals to replies. */
static void commit(struct kbs_server *s, const struct kbs_db_session *ses, const struct kbs_attest_req *req,
		   bool emulated, struct kbs_reply *r)
{
	struct kbs_db_attest_out out;
	uint8_t ack_key[KBS_DB_KEY_LEN];
	char jwk[256], json[160];
	if (kbs_tee_key_json(&req->key, jwk, sizeof(jwk)) < 0 || RAND_bytes(ack_key, sizeof(ack_key)) != 1) {
		kbs_reply_error(r, 500, "InternalError", "attest: vm %s: key material", ses->vm);
		return;
	}
	int rc = kbs_db_attest_commit(s->db, ses->cookie, ses->vm, (int64_t)time(NULL), s->boot_window, jwk,
				      ack_key, &out);
	OPENSSL_cleanse(ack_key, sizeof(ack_key));
	OPENSSL_cleanse(out.state_key, sizeof(out.state_key));
	switch (rc) {
	case KBS_DB_OK:
		break;
	case KBS_DB_CHALLENGE_USED:
		kbs_reply_error(r, 401, "AttestationFailed", "attest: vm %s: challenge already answered (replay)",
				ses->vm);
		return;
	case KBS_DB_EXPIRED:
		kbs_reply_error(r, 401, "UnAuthenticatedCookie", "attest: vm %s: session expired", ses->vm);
		return;
	case KBS_DB_BOOT_PENDING:
		kbs_reply_error(r, 409, "BootInProgress",
				"attest: vm %s: previous boot unacknowledged and younger than %llds (clone?)", ses->vm,
				(long long)s->boot_window);
		return;
	case KBS_DB_MISMATCH:
	case KBS_DB_NOT_FOUND:
		kbs_reply_error(r, 401, "AttestationFailed", "attest: vm %s: %s", ses->vm, kbs_db_status_str(rc));
		return;
	default:
		kbs_reply_error(r, 500, "InternalError", "attest: vm %s: %s", ses->vm, kbs_db_errmsg(s->db));
		return;
	}
	snprintf(json, sizeof(json), "{\"token\":\"keel:%s:%llu\"}", ses->vm, (unsigned long long)out.boot);
	kbs_reply_json(r, 200, json);
	if (emulated)
		kbs_log("WARNING: EMULATED attestation accepted for vm %s (boot %llu): INSECURE, the emulated "
			"platform key is public (--allow-emulated)",
			ses->vm, (unsigned long long)out.boot);
	kbs_log("attest: vm %s: verified, boot %llu, min-generation %llu", ses->vm, (unsigned long long)out.boot,
		(unsigned long long)out.min_generation);
}

void kbs_handle_attest(struct kbs_server *s, const char *cookie, const char *body, size_t len,
		       struct kbs_reply *r)
{
	struct kbs_db_session ses;
	char err[512];
	bool emulated = false;
	if (kbs_session_lookup(s, cookie, &ses, r))
		return;
	if (ses.attested) {
		kbs_reply_error(r, 401, "AttestationFailed", "attest: vm %s: session already attested", ses.vm);
		return;
	}
	struct kbs_attest_req *req = malloc(sizeof(*req));
	if (!req) {
		kbs_reply_error(r, 500, "InternalError", "attest: out of memory");
		return;
	}
	if (kbs_parse_attest(body, len, req, err, sizeof(err)))
		kbs_reply_error(r, 400, "InvalidRequest", "attest: vm %s: %s", ses.vm, err);
	else if (verify_evidence(s, &ses, req, &emulated, err, sizeof(err)))
		refuse(s, &ses, r, err);
	else
		commit(s, &ses, req, emulated, r);
	free(req);
}
