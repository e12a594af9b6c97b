/*
 * The SVSM core protocol (#58019 §5), served by the kernel itself. On the
 * native platform there is no RMP, no VMSA and no vTOM: only the calls
 * that make sense for an emulated VMPL are served.
 */
#include "svsm/core.h"
#include "svsm/router.h"

#define CA_ALIGN 8u
#define PAGE 4096u

/*
 * REMAP_CA (§5.1): RCX = GPA of the new calling area. As COCONUT-SVSM
 * checks it: 8-byte aligned, in guest memory, not crossing a page.
 */
static uint64_t core_remap_ca(uint64_t gpa)
{
	if (gpa % CA_ALIGN || (gpa % PAGE) + CA_ALIGN > PAGE || svsm_gmem_check(gpa, CA_ALIGN))
		return SVSM_ERR_INVALID_PARAMETER;
	svsm_set_calling_area(gpa);
	return SVSM_SUCCESS;
}

void svsm_core_call(uint32_t call, struct svsm_regs *regs)
{
	switch (call) {
	case SVSM_CORE_QUERY_PROTOCOL:
		regs->rcx = svsm_core_query_protocol(regs->rcx);
		regs->rax = SVSM_SUCCESS;
		return;
	case SVSM_CORE_REMAP_CA:
		regs->rax = core_remap_ca(regs->rcx);
		return;
	default: /* PVALIDATE, vCPU, memory and vTOM calls: nothing to do on native */
		regs->rax = SVSM_ERR_UNSUPPORTED_CALL;
	}
}
