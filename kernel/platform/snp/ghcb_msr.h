/*
 * The GHCB MSR protocol (AMD "SEV-ES Guest-Hypervisor Communication Block
 * Standardization", #56421, §2.3.1): requests and responses packed into
 * MSR 0xC0010130, low 12 bits = GHCBInfo. Pure encode/decode, host-tested.
 */
#ifndef KEEL_SNP_GHCB_MSR_H
#define KEEL_SNP_GHCB_MSR_H

#include <stdint.h>

#define GHCB_MSR 0xc0010130u
#define GHCB_INFO_MASK 0xfffull

#define GHCB_MSR_SEV_INFO_RESP 0x001ull
#define GHCB_MSR_SEV_INFO_REQ 0x002ull
#define GHCB_MSR_CPUID_REQ 0x004ull
#define GHCB_MSR_CPUID_RESP 0x005ull
#define GHCB_MSR_REG_GPA_REQ 0x012ull
#define GHCB_MSR_REG_GPA_RESP 0x013ull
#define GHCB_MSR_PSC_REQ 0x014ull
#define GHCB_MSR_PSC_RESP 0x015ull
#define GHCB_MSR_VMPL_REQ 0x016ull
#define GHCB_MSR_VMPL_RESP 0x017ull
#define GHCB_MSR_HV_FEATURES_REQ 0x080ull
#define GHCB_MSR_HV_FEATURES_RESP 0x081ull
#define GHCB_MSR_TERM_REQ 0x100ull

#define GHCB_PSC_PRIVATE 1u
#define GHCB_PSC_SHARED 2u

struct ghcb_sev_info {
	uint16_t max_version, min_version;
	uint8_t cbit;
};

/* Each decoder returns 0, or -1 if `v` is not the expected response. */
int ghcb_msr_sev_info_decode(uint64_t v, struct ghcb_sev_info *out);
/* CPUID: reg 0..3 = EAX..EDX. */
uint64_t ghcb_msr_cpuid_req(uint32_t fn, unsigned reg);
int ghcb_msr_cpuid_decode(uint64_t v, uint32_t *value);
uint64_t ghcb_msr_register_gpa_req(uint64_t gfn);
int ghcb_msr_register_gpa_decode(uint64_t v, uint64_t expect_gfn);
uint64_t ghcb_msr_psc_req(uint64_t gfn, unsigned op);
int ghcb_msr_psc_decode(uint64_t v, uint32_t *error);
uint64_t ghcb_msr_vmpl_req(uint8_t vmpl);
int ghcb_msr_vmpl_decode(uint64_t v, uint32_t *error);
uint64_t ghcb_msr_hv_features_req(void);
int ghcb_msr_hv_features_decode(uint64_t v, uint64_t *features);
uint64_t ghcb_msr_term_req(unsigned reason_set, unsigned reason_code);

#endif
