/*
 * The kernel end of the router's channels (docs/svsm-routing.md, step 2).
 * The guest has no syscalls, so its handle table holds only these ends:
 * slot P is the channel to the service of protocol P, whose end is that
 * task's KEEL_HANDLE_ROUTER. The guest is the caller (blocked in the call
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
	if (!g || protocol >= SVSM_MAX_PROTOCOLS)
		return KEEL_EBADHANDLE;
	if (handle_lookup(&g->handles, KEEL_HANDLE_MAKE(protocol, 0), HANDLE_CHAN_END, &end))
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
		int32_t p = m->tasks[i].protocol;
		if (p < 0)
			continue;
		if (p >= SVSM_MAX_PROTOCOLS) {
			kprintf("keel: task '%s': protocol %d is not routable (max %d)\n", m->tasks[i].name, p,
				SVSM_MAX_PROTOCOLS - 1);
			continue;
		}
		if (chan_create(&tasks[guest], (unsigned)p, &tasks[i], KEEL_HANDLE_ROUTER))
			return ksnprintf(err, err_len, "task '%s': cannot connect protocol %d to the guest",
					 m->tasks[i].name, p),
			       -1;
	}
	return 0;
}
