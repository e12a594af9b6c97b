/* SEV-SNP attestation reports (AMD SEV-SNP ABI spec, ATTESTATION_REPORT,
 * Table 23 in rev 1.55) and their ARK -> ASK -> VCEK chain, as Trustee's
 * deps/verifier/src/snp/mod.rs checks them (docs/kbs.md "Checks"). */
#ifndef KBS_SNP_H
#define KBS_SNP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/x509.h>

#define SNP_REPORT_LEN 1184
#define SNP_OFF_VERSION 0x00
#define SNP_OFF_POLICY 0x08
#define SNP_OFF_VMPL 0x30
#define SNP_OFF_SIG_ALGO 0x34
#define SNP_OFF_REPORT_DATA 0x50
#define SNP_OFF_MEASUREMENT 0x90
#define SNP_OFF_CHIP_ID 0x1A0
#define SNP_OFF_SIGNATURE 0x2A0
#define SNP_SIGNED_LEN 0x2A0       /* bytes 0..0x29F are signed */
#define SNP_SIG_COMPONENT 72       /* r, s: little-endian, low 48 bytes used */
#define SNP_POLICY_MIGRATE_MA (1ull << 18)
#define SNP_POLICY_DEBUG (1ull << 19)
#define SNP_SIG_ALGO_ECDSA_P384_SHA384 1

/* A trusted chain directory: ark.pem, ask.pem, optionally vcek.pem (used
 * when the evidence carries no VCEK). emulated: Keel's committed chain. */
struct snp_chain {
	X509 *ark;
	X509 *ask;
	X509 *vcek;
	bool emulated;
	char dir[256];
};

int snp_chain_load(const char *dir, bool emulated, struct snp_chain *out, char *err, size_t errlen);
void snp_chain_free(struct snp_chain *c);

/* The report's fixed-field checks (version, algorithm, VMPL 0, policy).
 * allow_debug: the VM is registered with debug allowed. */
int snp_report_check_fields(const uint8_t *report, bool allow_debug, char *err, size_t errlen);

/* Verifies chain->ark self-signed, ask by ark, the VCEK (vcek_der if given,
 * else chain->vcek) by ask, its hwID against chip_id if present, and the
 * report signature with the VCEK's P-384 key. 0 or -1 with err. On success
 * *marked tells whether the VCEK carries Keel's emulated-platform marker
 * extension (SNP_EMULATED_OID, docs/attestation-report.md). */
#define SNP_EMULATED_OID "1.3.6.1.4.1.3704.1.99"
int snp_report_verify(const uint8_t *report, const uint8_t *vcek_der, size_t vcek_len,
		      const struct snp_chain *chain, bool *marked, char *err, size_t errlen);

/* report_data the binding expects: SHA-384(jcs) || 16 zero bytes. */
void snp_expected_report_data(const char *jcs, size_t len, uint8_t out[64]);

#endif
