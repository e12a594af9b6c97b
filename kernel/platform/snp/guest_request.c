/* SNP_GUEST_REQUEST through the GHCB (guest_request.h). */
#include "arch/x86_64/cpu.h"
#include "lib/kstring.h"
#include "platform/snp/ghcb_msr.h"
#include "platform/snp/guest_request.h"

/* A save-area field and its bit in the valid bitmap (one bit per 8-byte field). */
static void put64(uint8_t *ghcb, unsigned off, uint64_t v)
{
	memcpy(ghcb + off, &v, 8);
	ghcb[GHCB_OFF_VALID_BITMAP + off / 64] |= (uint8_t)(1u << (off / 8 % 8));
}

int snp_ghcb_guest_request(void *ctx, struct snp_guest_msg *req, struct snp_guest_msg *rsp)
{
	struct snp_ghcb_ctx *c = ctx;
	uint64_t saved, info1, info2;
	uint16_t version = 2;
	uint32_t usage = 0;
	(void)req;
	(void)rsp; /* the pages travel by address: c->req_gpa, c->rsp_gpa */
	memset(c->ghcb, 0, 4096);
	put64(c->ghcb, GHCB_OFF_SW_EXIT_CODE, SNP_NAE_GUEST_REQUEST);
	put64(c->ghcb, GHCB_OFF_SW_EXIT_INFO_1, c->req_gpa);
	put64(c->ghcb, GHCB_OFF_SW_EXIT_INFO_2, c->rsp_gpa);
	memcpy(c->ghcb + GHCB_OFF_PROTOCOL_VERSION, &version, 2);
	memcpy(c->ghcb + GHCB_OFF_USAGE, &usage, 4);
	saved = rdmsr(GHCB_MSR);
	wrmsr(GHCB_MSR, c->ghcb_gpa);
	__asm__ volatile("rep; vmmcall" ::: "memory"); /* VMGEXIT */
	wrmsr(GHCB_MSR, saved);
	memcpy(&info1, c->ghcb + GHCB_OFF_SW_EXIT_INFO_1, 8);
	memcpy(&info2, c->ghcb + GHCB_OFF_SW_EXIT_INFO_2, 8);
	c->fw_error = info2;
	/* SW_EXITINFO1 low 32 bits non-zero: the hypervisor refused; SW_EXITINFO2: its or the firmware's code. */
	return (uint32_t)info1 != 0 || info2 != 0;
}
