/* One SVSM call from the guest: core protocol here, the rest to its service. */
#include "svsm/core.h"
#include "svsm/router.h"

void svsm_handle_call(struct svsm_regs *regs)
{
	struct svsm_route r = svsm_route(regs->rax);
	switch (r.kind) {
	case SVSM_ROUTE_CORE:
		svsm_core_call(r.call, regs);
		return;
	case SVSM_ROUTE_TASK:
		svsm_forward_call(r.protocol, r.call, regs);
		return;
	default:
		regs->rax = SVSM_ERR_UNSUPPORTED_PROTOCOL;
	}
}
