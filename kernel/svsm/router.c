/*
 * The SVSM protocol -> serving task table, and QUERY_PROTOCOL's answer
 * (pure). Keyed by the full 32-bit protocol number: one entry per manifest
 * task with `protocol=N` (the manifest allows one task per protocol), each
 * with its `buffer=` rules. Entry i's channel is the guest's handle slot i.
 */
#include "svsm/core.h"
#include "svsm/router.h"

struct route_entry {
	uint32_t protocol;
	int task; /* manifest task index */
	uint32_t nrules;
	struct svsm_buffer_rule rules[MANIFEST_MAX_BUFFER_RULES];
};

static struct route_entry table[SVSM_MAX_ROUTES];
static unsigned nroutes;

void svsm_router_init(const struct manifest *m)
{
	nroutes = 0;
	for (unsigned i = 0; i < m->ntasks && nroutes < SVSM_MAX_ROUTES; i++) {
		const struct manifest_task *t = &m->tasks[i];
		if (t->protocol <= 0 || t->protocol > (int64_t)MANIFEST_PROTOCOL_MAX)
			continue;
		struct route_entry *e = &table[nroutes++];
		e->protocol = (uint32_t)t->protocol;
		e->task = (int)i;
		e->nrules = t->nbuffers < MANIFEST_MAX_BUFFER_RULES ? t->nbuffers
		                                                    : MANIFEST_MAX_BUFFER_RULES;
		for (unsigned r = 0; r < e->nrules; r++)
			e->rules[r] = t->buffers[r];
	}
}

int svsm_router_slot(uint32_t protocol)
{
	if (protocol == SVSM_CORE_PROTOCOL)
		return -1;
	for (unsigned i = 0; i < nroutes; i++)
		if (table[i].protocol == protocol)
			return (int)i;
	return -1;
}

const struct svsm_buffer_rule *svsm_router_rules(uint32_t protocol, size_t *n)
{
	int s = svsm_router_slot(protocol);
	*n = s < 0 ? 0 : table[s].nrules;
	return s < 0 ? 0 : table[s].rules;
}

struct svsm_route svsm_route(uint64_t rax)
{
	struct svsm_route r = {SVSM_ROUTE_NONE, (uint32_t)(rax >> 32), (uint32_t)rax, -1};
	int s = svsm_router_slot(r.protocol);
	if (r.protocol == SVSM_CORE_PROTOCOL)
		r.kind = SVSM_ROUTE_CORE;
	else if (s >= 0) {
		r.kind = SVSM_ROUTE_TASK;
		r.task = table[s].task;
	}
	return r;
}

uint64_t svsm_core_query_protocol(uint64_t rcx)
{
	uint32_t protocol = (uint32_t)(rcx >> 32), version = (uint32_t)rcx;
	if (version != SVSM_PROTOCOL_VERSION)
		return 0; /* every protocol here speaks version 1 only */
	if (protocol == SVSM_CORE_PROTOCOL || svsm_router_slot(protocol) >= 0)
		return ((uint64_t)SVSM_PROTOCOL_VERSION << 32) | SVSM_PROTOCOL_VERSION;
	return 0;
}
