/*
 * SEV-SNP launch digest of an IGVM file, computed the way COCONUT-SVSM's
 * igvmmeasure does (igvmmeasure/src/igvm_measure.rs, page_info.rs), which
 * follows SNP_LAUNCH_UPDATE in the AMD SEV-SNP firmware ABI spec:
 * for every 4 KiB page the SNP platform would import, in file order,
 *   digest = SHA-384(PAGE_INFO{ digest_cur = digest, contents, length = 0x70,
 *                              page_type, imi_page = 0, vmpl perms = 0, gpa })
 * starting from 48 zero bytes. See docs/igvm.md.
 */
#ifndef KEEL_SNP_MEASURE_H
#define KEEL_SNP_MEASURE_H

#include <stdint.h>

#include "igvm_parse.h"

#define SNP_DIGEST_SIZE 48

/* SNP PAGE_INFO.PAGE_TYPE (SNP ABI spec, SNP_LAUNCH_UPDATE). */
#define SNP_PAGE_TYPE_NORMAL 1u
#define SNP_PAGE_TYPE_VMSA 2u
#define SNP_PAGE_TYPE_ZERO 3u
#define SNP_PAGE_TYPE_UNMEASURED 4u
#define SNP_PAGE_TYPE_SECRETS 5u
#define SNP_PAGE_TYPE_CPUID 6u

struct snp_page_info {
	uint8_t digest_cur[SNP_DIGEST_SIZE];
	uint8_t contents[SNP_DIGEST_SIZE];
	uint16_t length; /* 0x70 */
	uint8_t page_type;
	uint8_t imi_page;
	uint8_t reserved;
	uint8_t vmpl1_perms;
	uint8_t vmpl2_perms;
	uint8_t vmpl3_perms;
	uint64_t gpa;
} __attribute__((packed));
_Static_assert(sizeof(struct snp_page_info) == 0x70, "SNP PAGE_INFO");

struct snp_measure_opts {
	/* igvmmeasure --native-zero: file zero pages (file_offset 0) measured
	 * as SNP ZERO pages instead of NORMAL pages of zeroes (the default). */
	int native_zero;
	/* Called for every measured page (may be NULL): for --verbose. */
	void (*on_page)(uint8_t page_type, uint64_t gpa, void *ctx);
	void *ctx;
};

/*
 * Digest of `f` (already accepted by igvm_parse) for its SEV_SNP platform.
 * Returns 0, or -1 with a static message in *msg (no SNP platform,
 * hashing failure).
 */
int snp_measure(const struct igvm_file *f, const struct snp_measure_opts *opts,
		uint8_t digest[SNP_DIGEST_SIZE], const char **msg);

/*
 * igvmmeasure --check-kvm: 0 if a QEMU/KVM SNP launch measures `f` as
 * snp_measure does, else -1 with a static reason in *msg: exactly one SNP
 * VMSA, for VP 0, at SNP_KVM_VMSA_GPA, with CR0 0x31 or 0x30 (KVM's
 * reset-compatible state), and no SNP PAGE_DATA or PARAMETER_INSERT after it.
 */
#define SNP_KVM_VMSA_GPA 0xFFFFFFFFF000ull
int snp_check_kvm(const struct igvm_file *f, const char **msg);

/* One chain step: digest = SHA-384(PAGE_INFO). 0 or -1. */
int snp_measure_step(uint8_t digest[SNP_DIGEST_SIZE], uint8_t page_type, uint64_t gpa,
		     const uint8_t *page /* 4 KiB or NULL for no contents */);

#endif
