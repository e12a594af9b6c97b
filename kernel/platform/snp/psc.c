/* Page state changes for DMA memory (platform/snp/psc.h). */
#include "platform/snp/psc.h"
#include "platform/snp/ghcb_msr.h"

#define PSC_PAGE 4096ull

int snp_psc_request(const struct snp_psc_ops *ops, uint64_t gpa, unsigned op)
{
	uint32_t error;
	uint64_t resp = ops->ghcb_msr_call(ops->ctx, ghcb_msr_psc_req(gpa / PSC_PAGE, op));
	if (ghcb_msr_psc_decode(resp, &error) || error)
		return -1;
	return 0;
}

/* Shared -> private for one page: PSC first, then validate (a shared page cannot be validated). */
static int page_unshare(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va)
{
	if (snp_psc_request(ops, gpa, GHCB_PSC_PRIVATE))
		return SNP_PSC_LOST; /* still shared, or half-done: the host may see it */
	return ops->pvalidate(ops->ctx, va, 1) ? SNP_PSC_LOST : SNP_PSC_OK;
}

/* Private -> shared for one page: rescind first, so the page is never validated and shared. */
static int page_share(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va)
{
	if (ops->pvalidate(ops->ctx, va, 0))
		return SNP_PSC_FAILED; /* PVALIDATE changed nothing */
	if (snp_psc_request(ops, gpa, GHCB_PSC_SHARED) == 0)
		return SNP_PSC_OK;
	/* The host refused: the page is still private, only unvalidated. */
	return ops->pvalidate(ops->ctx, va, 1) ? SNP_PSC_LOST : SNP_PSC_FAILED;
}

int snp_psc_unshare(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va, uint64_t pages)
{
	int rc = SNP_PSC_OK;
	for (uint64_t i = 0; i < pages; i++)
		if (page_unshare(ops, gpa + i * PSC_PAGE, va + i * PSC_PAGE))
			rc = SNP_PSC_LOST; /* go on: every other page still goes back */
	return rc;
}

int snp_psc_share(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		int rc = page_share(ops, gpa + i * PSC_PAGE, va + i * PSC_PAGE);
		if (rc == SNP_PSC_OK)
			continue;
		if (snp_psc_unshare(ops, gpa, va, i))
			return SNP_PSC_LOST;
		return rc;
	}
	return SNP_PSC_OK;
}
