/*
 * The hardware side of platform/snp/psc.h: the GHCB MSR protocol through
 * the real MSR and VMGEXIT, PVALIDATE through the direct map. This is what
 * the SEV-SNP platform's platform_dma_share / platform_dma_unshare call
 * (platform/platform.h); compiled on every build, executed only on SNP.
 * Interrupts are off in the kernel, so the GHCB MSR is ours between the
 * write and the read; its previous value (a registered GHCB) is put back.
 */
#include "arch/x86_64/cpu.h"
#include "mm/phys.h"
#include "platform/platform.h"
#include "platform/snp/ghcb_msr.h"
#include "platform/snp/psc.h"
#include "platform/snp/snp_dma.h"
#include "platform/snp/snp_insn.h"

static uint64_t msr_call(void *ctx, uint64_t request)
{
	uint64_t saved = rdmsr(GHCB_MSR), resp;
	(void)ctx;
	wrmsr(GHCB_MSR, request);
	__asm__ volatile("rep; vmmcall" ::: "memory"); /* VMGEXIT */
	resp = rdmsr(GHCB_MSR);
	wrmsr(GHCB_MSR, saved);
	return resp;
}

static uint32_t pvalidate(void *ctx, uint64_t va, int validate)
{
	(void)ctx;
	return snp_pvalidate(va, SNP_PAGE_4K, validate);
}

static const struct snp_psc_ops hw = {msr_call, pvalidate, 0};

static int to_platform(int rc)
{
	return rc == SNP_PSC_OK       ? 0
	       : rc == SNP_PSC_FAILED ? PLATFORM_DMA_FAILED
	                              : PLATFORM_DMA_LOST;
}

int snp_dma_share(uint64_t pa, uint64_t pages)
{
	return to_platform(snp_psc_share(&hw, pa, (uint64_t)phys_to_virt(pa), pages));
}

int snp_dma_unshare(uint64_t pa, uint64_t pages)
{
	return to_platform(snp_psc_unshare(&hw, pa, (uint64_t)phys_to_virt(pa), pages));
}
