/*
 * The SVSM call router: RAX = (protocol << 32) | call. Protocol 0 is the
 * kernel's own (core.c); every other protocol goes to the manifest task
 * serving it (`protocol=N`) as a channel call (forward.c). The guest side
 * (the emulated VMPL switch) is kernel/platform/native/guest_trap.c.
 */
#ifndef KEEL_SVSM_ROUTER_H
#define KEEL_SVSM_ROUTER_H

#include <stdint.h>

#include "svsm/buffer_rule.h"
#include "svsm/call.h"
#include "task/manifest.h"

/* At most one route per manifest task; route i is the guest's handle slot i. */
#define SVSM_MAX_ROUTES MANIFEST_MAX_TASKS
/* QUERY_PROTOCOL: every protocol, core or task-served, is version 1..1. */
#define SVSM_PROTOCOL_VERSION 1u

enum svsm_route_kind { SVSM_ROUTE_CORE, SVSM_ROUTE_TASK, SVSM_ROUTE_NONE };

struct svsm_route {
	enum svsm_route_kind kind;
	uint32_t protocol, call;
	int task; /* manifest task index for SVSM_ROUTE_TASK */
};

/* Build the table from every task with protocol= (any 32-bit number but 0). */
void svsm_router_init(const struct manifest *m);
/* The route index (= guest handle slot) of a task-served protocol, or -1. */
int svsm_router_slot(uint32_t protocol);
/* The buffer= rules of a task-served protocol (n = 0 and NULL if none). */
const struct svsm_buffer_rule *svsm_router_rules(uint32_t protocol, size_t *n);
struct svsm_route svsm_route(uint64_t rax);
/* QUERY_PROTOCOL (RCX = protocol << 32 | version): RCX out = max << 32 | min, or 0 if unsupported. */
uint64_t svsm_core_query_protocol(uint64_t rcx);
/* forward.c: a call of a task-served protocol; sets regs->rax (and RCX/RDX/R8 from the service). */
void svsm_forward_call(uint32_t protocol, uint32_t call, struct svsm_regs *regs);

#endif
