/*
 * The kernel end of the router's channels (docs/svsm-routing.md, step 2).
 * The guest has no syscalls, so its handle table holds only these ends:
 * slot i is the channel to the service of route i (svsm_router_slot: the
 * protocol's entry in the router's table), whose end is that task's
 * KEEL_HANDLE_ROUTER. The guest is the caller (blocked in the call
 * while the service works), the service the receiver.
 */
#include <keel/errors.h>
#include <keel/svsm.h>

#include "ipc/chan.h"
#include "lib/kprintf.h"
#include "svsm/router.h"
#include "svsm/service.h"
#include "task/guest.h"
#include "task/task.h"

long svsm_service_call(uint32_t protocol, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct task *g = guest_task();
	void *end;
	int slot = svsm_router_slot(protocol);
	if (!g || slot < 0)
		return KEEL_EBADHANDLE;
	if (handle_lookup(&g->handles, KEEL_HANDLE_MAKE((unsigned)slot, 0), HANDLE_CHAN_END, &end))
		return KEEL_EBADHANDLE;
	return chan_call_kernel(end, req, req_len, rsp, rsp_cap);
}

int svsm_service_connect(const struct manifest *m, char *err, size_t err_len)
{
	int guest = -1;
	for (unsigned i = 0; i < m->ntasks; i++)
		if (m->tasks[i].kind == MANIFEST_KIND_GUEST)
			guest = (int)i;
	if (guest < 0)
		return 0;
	for (unsigned i = 0; i < m->ntasks; i++) {
		int64_t p = m->tasks[i].protocol;
		if (p < 0)
			continue;
		int slot = svsm_router_slot((uint32_t)p);
		if (slot < 0 ||
		    chan_create(&tasks[guest], (unsigned)slot, &tasks[i], KEEL_HANDLE_ROUTER))
			return ksnprintf(err, err_len,
					 "task '%s': cannot connect protocol %u to the guest",
					 m->tasks[i].name, (unsigned)p),
			       -1;
	}
	return 0;
}
