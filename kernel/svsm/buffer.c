/* Where each protocol's calls keep their guest buffer (docs/svsm-routing.md). */
#include <keel/svsm.h>

#include "svsm/buffer.h"

#define PAGE 4096u

uint32_t svsm_buffer_decode(uint32_t protocol, uint32_t call, const struct svsm_regs *regs,
			    struct svsm_buffer *out)
{
	out->gpa = 0;
	out->len = 0;
	if (protocol == SVSM_VTPM_PROTOCOL && call == SVSM_VTPM_CMD) {
		/* SVSM spec vTPM protocol: RCX = GPA of one 4 KiB page, page aligned. */
		if (regs->rcx % PAGE)
			return SVSM_ERR_INVALID_ADDRESS;
		out->gpa = regs->rcx;
		out->len = PAGE;
	} else if (protocol == SVSM_UEFI_MM_PROTOCOL && call == SVSM_UEFI_MM_REQUEST) {
		/* RCX = address, RDX = size. */
		if (regs->rdx == 0 || regs->rdx > SVSM_BUFFER_MAX)
			return SVSM_ERR_INVALID_PARAMETER;
		out->gpa = regs->rcx;
		out->len = (uint32_t)regs->rdx;
	}
	return SVSM_SUCCESS;
}
