/*
 * The SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP firmware ABI spec, table
 * "ATTESTATION_REPORT Structure", version 2): what keel_attest_report writes
 * on every platform (docs/attestation-report.md). Little-endian; the
 * signature covers bytes 0 .. SNP_REPORT_SIGNED_LEN-1 and its r and s are
 * little-endian, zero-padded to 72 bytes each.
 */
#ifndef KEEL_SNP_REPORT_H
#define KEEL_SNP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define SNP_REPORT_LEN 1184u
#define SNP_REPORT_SIGNED_LEN 0x2a0u
#define SNP_REPORT_VERSION 2u
#define SNP_SIG_ALGO_ECDSA_P384_SHA384 1u
/* Guest policy: bit 16 SMT allowed, bit 17 reserved-must-be-one, bit 19 debug (clear). */
#define SNP_POLICY_SMT (1ull << 16)
#define SNP_POLICY_RSVD1 (1ull << 17)
#define SNP_POLICY_DEBUG (1ull << 19)

struct snp_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;
	uint32_t signature_algo;
	uint64_t current_tcb;
	uint64_t platform_info;
	uint32_t flags; /* bit 0 author_key_en, bit 1 mask_chip_key, bits 2-4 signing_key (0 VCEK) */
	uint32_t reserved0;
	uint8_t report_data[64];
	uint8_t measurement[48];
	uint8_t host_data[32];
	uint8_t id_key_digest[48];
	uint8_t author_key_digest[48];
	uint8_t report_id[32];
	uint8_t report_id_ma[32];
	uint64_t reported_tcb;
	uint8_t reserved1[24];
	uint8_t chip_id[64];
	uint64_t committed_tcb;
	uint8_t current_build, current_minor, current_major, reserved2;
	uint8_t committed_build, committed_minor, committed_major, reserved3;
	uint64_t launch_tcb;
	uint8_t reserved4[168];
	uint8_t sig_r[72];
	uint8_t sig_s[72];
	uint8_t sig_reserved[368];
};

_Static_assert(sizeof(struct snp_report) == SNP_REPORT_LEN, "report size");
_Static_assert(offsetof(struct snp_report, policy) == 0x08, "policy");
_Static_assert(offsetof(struct snp_report, vmpl) == 0x30, "vmpl");
_Static_assert(offsetof(struct snp_report, signature_algo) == 0x34, "signature_algo");
_Static_assert(offsetof(struct snp_report, current_tcb) == 0x38, "current_tcb");
_Static_assert(offsetof(struct snp_report, platform_info) == 0x40, "platform_info");
_Static_assert(offsetof(struct snp_report, flags) == 0x48, "flags");
_Static_assert(offsetof(struct snp_report, report_data) == 0x50, "report_data");
_Static_assert(offsetof(struct snp_report, measurement) == 0x90, "measurement");
_Static_assert(offsetof(struct snp_report, host_data) == 0xc0, "host_data");
_Static_assert(offsetof(struct snp_report, id_key_digest) == 0xe0, "id_key_digest");
_Static_assert(offsetof(struct snp_report, author_key_digest) == 0x110, "author_key_digest");
_Static_assert(offsetof(struct snp_report, report_id) == 0x140, "report_id");
_Static_assert(offsetof(struct snp_report, report_id_ma) == 0x160, "report_id_ma");
_Static_assert(offsetof(struct snp_report, reported_tcb) == 0x180, "reported_tcb");
_Static_assert(offsetof(struct snp_report, chip_id) == 0x1a0, "chip_id");
_Static_assert(offsetof(struct snp_report, committed_tcb) == 0x1e0, "committed_tcb");
_Static_assert(offsetof(struct snp_report, current_build) == 0x1e8, "current_build");
_Static_assert(offsetof(struct snp_report, committed_build) == 0x1ec, "committed_build");
_Static_assert(offsetof(struct snp_report, launch_tcb) == 0x1f0, "launch_tcb");
_Static_assert(offsetof(struct snp_report, sig_r) == SNP_REPORT_SIGNED_LEN, "signature");
_Static_assert(offsetof(struct snp_report, sig_s) == 0x2e8, "sig_s");

/* The emulated platform's chip_id: fixed, so a verifier can tell it (and it is no real chip's). */
#define SNP_EMULATED_CHIP_ID "keel-emulated-platform (INSECURE)"

#endif
