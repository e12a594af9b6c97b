/*
 * keel-varctl's transports: one SVSM_UEFI_MM_REQUEST (protocol 4, call 1)
 * carrying an MM buffer.
 *
 * --state DIR: keel-hosted's guest port DIR/svsm.sock (tools/keel-hosted/
 *   svsm_port.h): the buffer is a window of guest memory at a page-aligned
 *   GPA, RCX = that GPA, RDX = its size.
 * --serial PATH: the booted test guest's COM2 passthrough (a Unix socket):
 *   "KMMQ" u32 bufsize, u32 n, n bytes -> "KMMP" u32 rax, u32 m, m bytes,
 *   m = min(bufsize, 24 + MessageLength after the call).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define SVSM_PORT_WIRE_ONLY
#include "svsm_port.h"
#include "varctl.h"
#include "fd_io.h"

#define UEFI_PROTOCOL 4u
#define UEFI_MM_REQUEST 1u
#define WINDOW_GPA 0x10000000ull /* any page-aligned address: the window stands for guest memory   \
	                          */
#define SERIAL_MAGIC_REQ 0x514d4d4bu /* "KMMQ" */
#define SERIAL_MAGIC_RSP 0x504d4d4bu /* "KMMP" */
/* A stuck peer ends the command instead of hanging it; TCG guests copy 256 KiB slowly. */
#define PORT_TIMEOUT_S 60
#define SERIAL_TIMEOUT_S 300

int xport_open(struct xport *x, const char *state, const char *serial)
{
	static char path[PATH_MAX];
	x->fd = -1;
	x->serial = serial != NULL;
	if (serial)
		snprintf(path, sizeof(path), "%s", serial);
	else
		snprintf(path, sizeof(path), "%s/%s", state, SVSM_PORT_SOCKET);
	x->where = path;
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		fprintf(stderr, "keel-varctl: %s: socket path too long\n", path);
		return -1;
	}
	return 0;
}

/* Connects on the first call, so that usage and file errors come before any connection. */
static int xport_connect(struct xport *x)
{
	struct sockaddr_un a;
	if (x->fd >= 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, x->where, strlen(x->where) + 1);
	x->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (x->fd < 0 || connect(x->fd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "keel-varctl: cannot connect to %s: %s\n", x->where,
		        strerror(errno));
		if (x->fd >= 0)
			close(x->fd);
		x->fd = -1;
		return -1;
	}
	struct timeval tv = {.tv_sec = x->serial ? SERIAL_TIMEOUT_S : PORT_TIMEOUT_S};
	(void)setsockopt(x->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

/*
 * Just closes: the serial passthrough's exit frame (bufsize 0) would end
 * the guest, and the guest serves one client after another (a test runs
 * several keel-varctl commands and its own suite on one boot).
 */
void xport_close(struct xport *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

size_t xport_max(const struct xport *x)
{
	if (x->serial || SVSM_PORT_WINDOW_MAX > MM_BUFFER_MAX)
		return MM_BUFFER_MAX;
	return SVSM_PORT_WINDOW_MAX;
}

static int port_call(struct xport *x, uint8_t *buf, size_t bufsize, uint64_t *rax)
{
	struct svsm_port_req q;
	struct svsm_port_rsp r;
	memset(&q, 0, sizeof(q));
	q.magic = SVSM_PORT_MAGIC_REQ;
	q.version = SVSM_PORT_VERSION;
	q.rax = (uint64_t)UEFI_PROTOCOL << 32 | UEFI_MM_REQUEST;
	q.rcx = WINDOW_GPA;
	q.rdx = bufsize;
	q.window_gpa = WINDOW_GPA;
	q.window_len = (uint32_t)bufsize;
	if (fd_write_all(x->fd, &q, sizeof(q)) || fd_write_all(x->fd, buf, bufsize) ||
	    fd_read_all(x->fd, &r, sizeof(r))) {
		fprintf(stderr,
		        "keel-varctl: %s: no answer (connection lost, or none within %d s)\n",
		        x->where, PORT_TIMEOUT_S);
		return -1;
	}
	if (r.magic != SVSM_PORT_MAGIC_RSP || r.status != SVSM_PORT_OK) {
		fprintf(stderr, "keel-varctl: %s: the guest port refused the call: %s\n", x->where,
		        r.magic == SVSM_PORT_MAGIC_RSP ? svsm_port_status_name(r.status)
		                                       : "bad answer magic");
		return -1;
	}
	if (r.window_len != bufsize || fd_read_all(x->fd, buf, bufsize)) {
		fprintf(stderr, "keel-varctl: %s: short answer from the guest port\n", x->where);
		return -1;
	}
	*rax = r.rax;
	return 0;
}

static int serial_call(struct xport *x, uint8_t *buf, size_t bufsize, uint64_t *rax)
{
	struct mm_header h;
	uint32_t q[3], r[3];
	size_t n;
	memcpy(&h, buf, sizeof(h));
	n = h.length <= bufsize - sizeof(h) ? sizeof(h) + h.length : bufsize;
	q[0] = SERIAL_MAGIC_REQ;
	q[1] = (uint32_t)bufsize;
	q[2] = (uint32_t)n;
	if (fd_write_all(x->fd, q, sizeof(q)) || fd_write_all(x->fd, buf, n) ||
	    fd_read_all(x->fd, r, sizeof(r))) {
		fprintf(stderr,
		        "keel-varctl: %s: no answer (connection lost, or none within %d s)\n",
		        x->where, SERIAL_TIMEOUT_S);
		return -1;
	}
	if (r[0] != SERIAL_MAGIC_RSP || r[2] > bufsize) {
		fprintf(stderr, "keel-varctl: %s: bad answer frame from the guest\n", x->where);
		return -1;
	}
	memset(buf, 0, bufsize);
	if (fd_read_all(x->fd, buf, r[2])) {
		fprintf(stderr, "keel-varctl: %s: short answer from the guest\n", x->where);
		return -1;
	}
	*rax = r[1];
	return 0;
}

int xport_call(struct xport *x, uint8_t *buf, size_t bufsize, uint64_t *rax)
{
	if (bufsize < MM_BUFFER_MIN || bufsize > xport_max(x)) {
		fprintf(stderr,
		        "keel-varctl: %s: a %zu-byte buffer is more than this transport carries "
		        "(%zu)\n",
		        x->where, bufsize, xport_max(x));
		return -1;
	}
	if (xport_connect(x))
		return -1;
	return x->serial ? serial_call(x, buf, bufsize, rax) : port_call(x, buf, bufsize, rax);
}
