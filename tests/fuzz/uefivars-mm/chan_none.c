/*
 * The fuzz target's storaged channel: there is none. uv_init with
 * KEEL_HANDLE_NONE keeps the store in memory, so a channel call at all
 * is a bug (something would have been persisted): stop with a report.
 */
#include <stdlib.h>

#include <keel/syscall.h>

long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	(void)h;
	(void)req;
	(void)req_len;
	(void)rsp;
	(void)rsp_cap;
	abort();
}
