/* libFuzzer target: the broker's request parsing (tools/kbs/request.c) and
 * evidence checks (tools/kbs/snp.c). The first byte picks the parser; for
 * attest bodies that parse, the report goes through the field checks and the
 * signature/chain verification against a chain made at start (one self-signed
 * P-384 certificate as ARK, ASK and VCEK), so the hwID and signature paths
 * run on fuzzed reports too. Nothing may crash, leak or read out of bounds. */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "snp.h"

static struct snp_chain chain;

static X509 *self_signed(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	X509 *x = X509_new();
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, (const unsigned char *)"VCEK", -1,
				   -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha384());
	EVP_PKEY_free(k);
	return x;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	X509 *x = self_signed();
	chain.ark = x;
	chain.ask = X509_dup(x);
	chain.vcek = X509_dup(x);
	strcpy(chain.dir, "fuzz");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 0: {
		struct kbs_auth_req a;
		kbs_parse_auth(body, len, &a, err, sizeof(err));
		break;
	}
	case 1: {
		static struct kbs_attest_req r;
		if (kbs_parse_attest(body, len, &r, err, sizeof(err)) == 0) {
			char jcs[512];
			uint8_t rd[64];
			long n = kbs_runtime_data_jcs(r.nonce, &r.key, jcs, sizeof(jcs));
			if (n > 0)
				snp_expected_report_data(jcs, (size_t)n, rd);
			snp_report_check_fields(r.report, false, err, sizeof(err));
			snp_report_verify(r.report, r.vcek, r.vcek_len, &chain, NULL, err, sizeof(err));
		}
		break;
	}
	case 2: {
		struct kbs_ack_req a;
		kbs_parse_ack(body, len, &a, err, sizeof(err));
		break;
	}
	default: {
		/* A bare report (fixed-size reads) and the stored-key parser. */
		struct kbs_tee_key k;
		char *s = strndup(body, len);
		if (s) {
			kbs_tee_key_from_json(s, &k, err, sizeof(err));
			free(s);
		}
		if (len >= SNP_REPORT_LEN) {
			snp_report_check_fields(data + 1, true, err, sizeof(err));
			snp_report_verify(data + 1, NULL, 0, &chain, NULL, err, sizeof(err));
		}
		break;
	}
	}
	return 0;
}
