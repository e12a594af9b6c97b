#include "platform/snp/ghcb_msr.h"

#define GFN_MAX ((1ull << 40) - 1) /* bits 51:12 */

static int is(uint64_t v, uint64_t info)
{
	return (v & GHCB_INFO_MASK) == info;
}

int ghcb_msr_sev_info_decode(uint64_t v, struct ghcb_sev_info *out)
{
	if (!is(v, GHCB_MSR_SEV_INFO_RESP))
		return -1;
	out->max_version = (uint16_t)(v >> 48);
	out->min_version = (uint16_t)(v >> 32);
	out->cbit = (uint8_t)(v >> 24);
	return out->min_version <= out->max_version ? 0 : -1;
}

uint64_t ghcb_msr_cpuid_req(uint32_t fn, unsigned reg)
{
	return ((uint64_t)fn << 32) | ((uint64_t)(reg & 3) << 30) | GHCB_MSR_CPUID_REQ;
}

int ghcb_msr_cpuid_decode(uint64_t v, uint32_t *value)
{
	if (!is(v, GHCB_MSR_CPUID_RESP))
		return -1;
	*value = (uint32_t)(v >> 32);
	return 0;
}

uint64_t ghcb_msr_register_gpa_req(uint64_t gfn)
{
	return ((gfn & ((1ull << 52) - 1)) << 12) | GHCB_MSR_REG_GPA_REQ;
}

int ghcb_msr_register_gpa_decode(uint64_t v, uint64_t expect_gfn)
{
	return is(v, GHCB_MSR_REG_GPA_RESP) && (v >> 12) == expect_gfn ? 0 : -1;
}

uint64_t ghcb_msr_psc_req(uint64_t gfn, unsigned op)
{
	return ((uint64_t)(op & 0xf) << 52) | ((gfn & GFN_MAX) << 12) | GHCB_MSR_PSC_REQ;
}

int ghcb_msr_psc_decode(uint64_t v, uint32_t *error)
{
	if (!is(v, GHCB_MSR_PSC_RESP))
		return -1;
	*error = (uint32_t)(v >> 32);
	return 0;
}

uint64_t ghcb_msr_vmpl_req(uint8_t vmpl)
{
	return ((uint64_t)vmpl << 32) | GHCB_MSR_VMPL_REQ;
}

int ghcb_msr_vmpl_decode(uint64_t v, uint32_t *error)
{
	if (!is(v, GHCB_MSR_VMPL_RESP))
		return -1;
	*error = (uint32_t)(v >> 32);
	return 0;
}

uint64_t ghcb_msr_hv_features_req(void)
{
	return GHCB_MSR_HV_FEATURES_REQ;
}

int ghcb_msr_hv_features_decode(uint64_t v, uint64_t *features)
{
	if (!is(v, GHCB_MSR_HV_FEATURES_RESP))
		return -1;
	*features = v >> 12;
	return 0;
}

uint64_t ghcb_msr_term_req(unsigned reason_set, unsigned reason_code)
{
	return ((uint64_t)(reason_code & 0xff) << 16) | ((uint64_t)(reason_set & 0xf) << 12) |
	       GHCB_MSR_TERM_REQ;
}
