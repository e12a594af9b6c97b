/*
 * Page state changes for DMA memory on SEV-SNP: a page a device may see
 * must be shared (hypervisor-owned in the RMP), and private memory must
 * never be handed to a device. The order follows the SNP ABI (#56860,
 * PVALIDATE) and the GHCB spec (#56421, §2.3.1 "SNP Page State Change"
 * MSR protocol: request 0x014 with the GFN in bits 51:12 and the
 * operation in 55:52, response 0x015 with an error code in 63:32):
 *   private -> shared: PVALIDATE(validate=0), then PSC shared;
 *   shared -> private: PSC private, then PVALIDATE(validate=1).
 * (COCONUT-SVSM's make_page_shared / make_page_private, page_visibility.rs,
 * do the same.) Pure logic over two hooks, host-tested with fakes
 * (tests/unit/kernel/test_snp_psc.c); snp_dma.c supplies the real ones.
 */
#ifndef KEEL_SNP_PSC_H
#define KEEL_SNP_PSC_H

#include <stdint.h>

struct snp_psc_ops {
	/* Write the GHCB MSR, VMGEXIT, return what the hypervisor left in it. */
	uint64_t (*ghcb_msr_call)(void *ctx, uint64_t request);
	/* PVALIDATE the 4 KiB page mapped at `va`: 0, or the failure (EAX, or SNP_RET_NO_UPDATE).
	 */
	uint32_t (*pvalidate)(void *ctx, uint64_t va, int validate);
	void *ctx;
};

enum snp_psc_result {
	SNP_PSC_OK = 0,
	SNP_PSC_FAILED = -1, /* nothing changed: every page is private and validated, as before */
	SNP_PSC_LOST = -2,   /* a page's state is unknown: never use these frames again */
};

/* One PSC request through the MSR protocol: 0, or -1 (wrong response or a non-zero error). */
int snp_psc_request(const struct snp_psc_ops *ops, uint64_t gpa, unsigned op);

/*
 * `pages` 4 KiB pages from `gpa`, mapped at `va`, made shared, all or
 * nothing: a page whose rescind or PSC fails is validated again, and the
 * pages already shared are made private again, before SNP_PSC_FAILED.
 */
int snp_psc_share(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va, uint64_t pages);

/* The reverse, before the frames are reused (their contents are the host's: zero them). */
int snp_psc_unshare(const struct snp_psc_ops *ops, uint64_t gpa, uint64_t va, uint64_t pages);

#endif
