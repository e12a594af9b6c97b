/*
 * The hosted guest port (svsm_port.h): the kernel router's hooks
 * (kernel/svsm/call.h) for keel-hosted, and the port's frames. Guest memory
 * is the window of the call being served; a protocol's service is the
 * launcher's end of its task's router channel (launch.c make_routers),
 * called through the hosted channel library as the kernel calls it booted.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <keel/errors.h>

#include "hosted.h"
#include "launch.h"
#include "svsm/router.h"
#include "svsm_port.h"
#include "tpm_frontend.h"

/* The protocol -> router end table; linear, there are few protocol tasks. */
static struct {
	uint32_t protocol;
	int fd;
} routes[MANIFEST_MAX_TASKS];
static unsigned nroutes;

/* The guest memory of the call being served. */
static uint64_t win_gpa, win_len;
static uint8_t *win_mem;

int svsm_gmem_check(uint64_t gpa, uint64_t len)
{
	/* as booted: an empty range is no buffer; the range must lie inside the window */
	if (!len || gpa < win_gpa || gpa - win_gpa > win_len || len > win_len - (gpa - win_gpa))
		return -1;
	return 0;
}

int svsm_gmem_read(uint64_t gpa, void *dst, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(dst, win_mem + (gpa - win_gpa), len);
	return 0;
}

int svsm_gmem_write(uint64_t gpa, const void *src, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(win_mem + (gpa - win_gpa), src, len);
	return 0;
}

/* Hosted there is no calling area: the guest is the port's client (REMAP_CA is checked, then
 * ignored). */
void svsm_set_calling_area(uint64_t gpa)
{
	(void)gpa;
}

/* kernel/lib/kstring.h: the router wipes its copies of each call. */
void kmem_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

int svsm_port_router_fd(uint32_t protocol)
{
	unsigned i;
	for (i = 0; i < nroutes; i++)
		if (routes[i].protocol == protocol)
			return routes[i].fd;
	return -1;
}

long svsm_service_call(uint32_t protocol, const void *req, size_t req_len, void *rsp,
                       size_t rsp_cap)
{
	int fd = svsm_port_router_fd(protocol);
	if (fd < 0)
		return KEEL_EBADHANDLE;
	return hosted_chan_call_fd(fd, req, req_len, rsp, rsp_cap);
}

int svsm_port_init(const struct manifest *m)
{
	uint32_t i;
	svsm_router_init(m);
	for (i = 0; i < m->ntasks; i++) {
		const char *task = NULL;
		int64_t p = m->tasks[i].protocol;
		int fd;
		if (p <= 0)
			continue;
		fd = launch_router_fd(m, (uint32_t)p, &task);
		if (fd < 0)
			continue;
		if (svsm_route((uint64_t)p << 32).kind != SVSM_ROUTE_TASK)
			printf("keel-hosted: task '%s' serves protocol %lld, which the router does "
			       "not route "
			       "(as booted): its calls get SVSM_ERR_UNSUPPORTED_PROTOCOL\n",
			       task, (long long)p);
		routes[nroutes].protocol = (uint32_t)p;
		routes[nroutes].fd = fd;
		nroutes++;
	}
	return 0;
}

void svsm_port_close(void)
{
	unsigned i;
	for (i = 0; i < nroutes; i++)
		close(routes[i].fd);
	nroutes = 0;
}

void svsm_port_call(struct svsm_regs *regs, uint64_t gpa, uint8_t *win, uint32_t len)
{
	win_gpa = gpa;
	win_len = len;
	win_mem = win;
	svsm_handle_call(regs);
	win_gpa = win_len = 0;
	win_mem = NULL;
}

int svsm_port_serve(struct tpm_frontend *fe, struct tpm_conn *c, const struct tpm_frame *f)
{
	struct svsm_port_req q;
	struct svsm_port_rsp r;
	struct svsm_regs regs;
	uint8_t *win = c->buf + sizeof(q); /* the frame is at the start of the buffer */
	(void)fe;
	memcpy(&q, f->data, sizeof(q));
	regs.rax = q.rax;
	regs.rcx = q.rcx;
	regs.rdx = q.rdx;
	regs.r8 = q.r8;
	regs.r9 = q.r9;
	svsm_port_call(&regs, q.window_gpa, win, q.window_len);
	memset(&r, 0, sizeof(r));
	r.magic = SVSM_PORT_MAGIC_RSP;
	r.rax = regs.rax;
	r.rcx = regs.rcx;
	r.rdx = regs.rdx;
	r.r8 = regs.r8;
	r.window_gpa = q.window_gpa;
	r.window_len = q.window_len;
	if (tpm_conn_send(c, &r, sizeof(r)) || tpm_conn_send(c, win, q.window_len))
		return -1;
	explicit_bzero(win, q.window_len); /* a window may hold secrets (TPM auth values) */
	return 0;
}

void svsm_port_refuse(struct tpm_conn *c, uint32_t status)
{
	struct svsm_port_rsp r;
	memset(&r, 0, sizeof(r));
	r.magic = SVSM_PORT_MAGIC_RSP;
	r.status = status ? status : SVSM_PORT_BAD_MAGIC;
	tpm_conn_send(c, &r, sizeof(r));
}
