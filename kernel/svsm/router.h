/*
 * The SVSM call router: RAX = (protocol << 32) | call. Protocol 0 is the
 * kernel's own; every other protocol goes to the manifest task serving it
 * (`protocol=N`) as a channel call. This issue: the decode and the table;
 * the guest side (VMGEXIT / native trap) comes later. Pure logic.
 */
#ifndef KEEL_SVSM_ROUTER_H
#define KEEL_SVSM_ROUTER_H

#include <stdint.h>

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

#endif
