/* The SVSM protocol -> serving task table, and QUERY_PROTOCOL's answer (pure). */
#include "svsm/core.h"
#include "svsm/router.h"

static int served_by[SVSM_MAX_PROTOCOLS]; /* task index + 1; 0 = nobody */

void svsm_router_init(const struct manifest *m)
{
	for (unsigned p = 0; p < SVSM_MAX_PROTOCOLS; p++)
		served_by[p] = 0;
	for (unsigned i = 0; i < m->ntasks; i++) {
		int32_t p = m->tasks[i].protocol;
		if (p > 0 && p < SVSM_MAX_PROTOCOLS)
			served_by[p] = (int)i + 1;
	}
}

struct svsm_route svsm_route(uint64_t rax)
{
	struct svsm_route r = {SVSM_ROUTE_NONE, (uint32_t)(rax >> 32), (uint32_t)rax, -1};
	if (r.protocol == SVSM_CORE_PROTOCOL)
		r.kind = SVSM_ROUTE_CORE;
	else if (r.protocol < SVSM_MAX_PROTOCOLS && served_by[r.protocol]) {
		r.kind = SVSM_ROUTE_TASK;
		r.task = served_by[r.protocol] - 1;
	}
	return r;
}

uint64_t svsm_core_query_protocol(uint64_t rcx)
{
	uint32_t protocol = (uint32_t)(rcx >> 32), version = (uint32_t)rcx;
	if (version != 1)
		return 0; /* every protocol here speaks version 1 only */
	if (protocol == SVSM_CORE_PROTOCOL || (protocol < SVSM_MAX_PROTOCOLS && served_by[protocol]))
		return (1ull << 32) | 1u;
	return 0;
}
