/*
 * SVSM core protocol (protocol 0, AMD "Secure VM Service Module for SEV-SNP
 * Guests", #58019, §5): handled in the kernel. The call numbers and result
 * codes are shared with the services (keel/svsm.h).
 */
#ifndef KEEL_SVSM_CORE_H
#define KEEL_SVSM_CORE_H

#include <keel/svsm.h>

#include "svsm/call.h"

/* One core call (regs->rax low half = call number); sets the result registers. */
void svsm_core_call(uint32_t call, struct svsm_regs *regs);

#endif
