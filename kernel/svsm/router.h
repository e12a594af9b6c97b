/*
 * The SVSM call router: RAX = (protocol << 32) | call. Protocol 0 is the
 * kernel's own (core.c); every other protocol goes to the manifest task
 * serving it (`protocol=N`) as a channel call (forward.c). The guest side
 * (the emulated VMPL switch) is kernel/platform/native/guest_trap.c.
 */
#ifndef KEEL_SVSM_ROUTER_H
#define KEEL_SVSM_ROUTER_H

#include <stdint.h>

#include "svsm/call.h"
#include "task/manifest.h"

#define SVSM_MAX_PROTOCOLS 16

enum svsm_route_kind { SVSM_ROUTE_CORE, SVSM_ROUTE_TASK, SVSM_ROUTE_NONE };

struct svsm_route {
	enum svsm_route_kind kind;
	uint32_t protocol, call;
	int task; /* manifest task index for SVSM_ROUTE_TASK */
};

void svsm_router_init(const struct manifest *m);
struct svsm_route svsm_route(uint64_t rax);
/* QUERY_PROTOCOL (RCX = protocol << 32 | version): RCX out = max << 32 | min, or 0 if unsupported. */
uint64_t svsm_core_query_protocol(uint64_t rcx);
/* forward.c: a call of a task-served protocol; sets regs->rax (and RCX/RDX/R8 from the service). */
void svsm_forward_call(uint32_t protocol, uint32_t call, struct svsm_regs *regs);

#endif
