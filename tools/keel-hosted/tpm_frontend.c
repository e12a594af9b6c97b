/*
 * The TPM front end's sockets and poll loop (tpm_frontend.h). Client bytes
 * are buffered per connection and handed to the parsers of tpm_frames.c;
 * a bad frame closes that connection with a log line and nothing else:
 * other clients, the launcher and the vtpm task keep running.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tpm_frontend.h"
#include "vtpm_router.h"

static pthread_t fe_thread;
static int fe_running;

static const char *const kind_name[] = {"command", "platform", "data", "control"};

void tpm_conn_log(const struct tpm_conn *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "keel-hosted: tpm: client %u (%s port): %s\n", (unsigned)c->id,
		kind_name[c->kind], msg);
}

int tpm_conn_send(struct tpm_conn *c, const void *p, size_t n)
{
	const uint8_t *b = p;
	while (n) {
		ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int tpm_conn_send_u32(struct tpm_conn *c, uint32_t v)
{
	uint8_t b[4];
	tpm_put_be32(b, v);
	return tpm_conn_send(c, b, 4);
}

int tpm_fe_route_command(struct tpm_frontend *fe, struct tpm_conn *c, uint8_t locality,
			 const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t *rsp_len)
{
	char err[160];
	vtpm_router_follow_client(c->fd);
	if (vtpm_router_command(fe->router_fd, locality, cmd, len, rsp, rsp_len, err, sizeof(err))) {
		tpm_conn_log(c, "%s; answering TPM_RC_FAILURE", err);
		vtpm_error_response(rsp, TPM_RC_FAILURE);
		*rsp_len = 10;
	}
	return 0;
}

int tpm_fe_signal(struct tpm_frontend *fe, struct tpm_conn *c, uint32_t signal)
{
	char err[160];
	int32_t status = 0;
	if (vtpm_router_signal(fe->router_fd, signal, &status, err, sizeof(err))) {
		tpm_conn_log(c, "platform signal %u: %s", (unsigned)signal, err);
		return -1;
	}
	if (status) {
		tpm_conn_log(c, "platform signal %u: the vtpm answered status %d", (unsigned)signal,
			     (int)status);
		return -1;
	}
	return 0;
}

static int listen_on(const char *port)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)atoi(port));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only: the TPM has no authentication of its own */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8)) {
		fprintf(stderr, "keel-hosted: tpm: cannot listen on 127.0.0.1:%s: %s\n", port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int tpm_frontend_open(struct tpm_frontend *fe, const char *protocol, const char *port,
		      const char *platform_port)
{
	int i;
	memset(fe, 0, sizeof(*fe));
	fe->swtpm = !strcmp(protocol, "swtpm");
	fe->router_fd = fe->stop_pipe[0] = fe->stop_pipe[1] = -1;
	for (i = 0; i < TPM_FE_MAX_CONNS; i++)
		fe->conns[i].fd = -1;
	fe->listen_fd[1] = -1;
	fe->listen_fd[0] = listen_on(port);
	if (fe->listen_fd[0] < 0)
		return -1;
	fe->listen_fd[1] = listen_on(platform_port);
	if (fe->listen_fd[1] < 0 || pipe2(fe->stop_pipe, O_CLOEXEC)) {
		tpm_frontend_stop(fe);
		return -1;
	}
	return 0;
}

static void conn_close(struct tpm_conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

static void accept_one(struct tpm_frontend *fe, int which)
{
	struct timeval tv = {10, 0}; /* a client that stops reading cannot stall the others for long */
	int fd = accept4(fe->listen_fd[which], NULL, NULL, SOCK_CLOEXEC), i;
	if (fd < 0)
		return;
	for (i = 0; i < TPM_FE_MAX_CONNS && fe->conns[i].fd >= 0; i++)
		;
	if (i == TPM_FE_MAX_CONNS) {
		fprintf(stderr, "keel-hosted: tpm: %d clients connected already; refusing one\n", i);
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	fe->conns[i].fd = fd;
	fe->conns[i].len = 0;
	fe->conns[i].id = ++fe->next_id;
	fe->conns[i].kind = (enum tpm_conn_kind)((fe->swtpm ? 2 : 0) + which);
}

typedef int (*frame_parser)(const uint8_t *, size_t, struct tpm_frame *);
typedef int (*frame_handler)(struct tpm_frontend *, struct tpm_conn *, const struct tpm_frame *);
static const frame_parser parsers[] = {tpm_frame_mssim_command, tpm_frame_mssim_platform,
				       tpm_frame_swtpm_data, tpm_frame_swtpm_ctrl};
static const frame_handler handlers[] = {tpm_mssim_command, tpm_mssim_platform, tpm_swtpm_data,
					 tpm_swtpm_ctrl};

/* Reads what the client sent and handles every whole frame in it. */
static void conn_readable(struct tpm_frontend *fe, struct tpm_conn *c)
{
	struct tpm_frame f;
	ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
	int st, r, one = 1;
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (c->len)
			tpm_conn_log(c, "disconnected in the middle of a frame (%zu bytes buffered)", c->len);
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	while ((st = parsers[c->kind](c->buf, c->len, &f)) == TPM_FRAME_OK) {
		r = handlers[c->kind](fe, c, &f);
		if (r) {
			if (r < 0)
				tpm_conn_log(c, "connection closed");
			conn_close(c);
			return;
		}
		memmove(c->buf, c->buf + f.consumed, c->len - f.consumed);
		c->len -= f.consumed;
	}
	/*
	 * A frame arrived incomplete: clients write a frame in pieces (the mssim
	 * TCTI: 9-byte header, then the command), and with Nagle on their side
	 * the next piece waits for our ACK, so ACK at once instead of delayed
	 * (Linux re-arms delayed ACKs). A whole frame needs no early ACK: the
	 * answer carries it, and an extra ACK segment per command costs.
	 */
	if (st == TPM_FRAME_MORE && c->len)
		setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	if (st == TPM_FRAME_BAD || c->len == sizeof(c->buf)) {
		tpm_conn_log(c, "bad frame (op %u): %s; connection closed", (unsigned)f.op,
			     st == TPM_FRAME_BAD ? f.error : "frame larger than the buffer");
		if (c->kind == CONN_MSSIM_PLAT || c->kind == CONN_SWTPM_CTRL)
			tpm_conn_send_u32(c, c->kind == CONN_SWTPM_CTRL ? 10u : 1u); /* as the simulator / swtpm answer */
		conn_close(c);
	}
}

static void *frontend_loop(void *arg)
{
	struct tpm_frontend *fe = arg;
	struct pollfd p[3 + TPM_FE_MAX_CONNS];
	for (;;) {
		int i, n = 3, map[TPM_FE_MAX_CONNS + 3];
		p[0] = (struct pollfd){fe->stop_pipe[0], POLLIN, 0};
		p[1] = (struct pollfd){fe->listen_fd[0], POLLIN, 0};
		p[2] = (struct pollfd){fe->listen_fd[1], POLLIN, 0};
		for (i = 0; i < TPM_FE_MAX_CONNS; i++)
			if (fe->conns[i].fd >= 0) {
				map[n] = i;
				p[n++] = (struct pollfd){fe->conns[i].fd, POLLIN, 0};
			}
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
		if (p[0].revents)
			return NULL;
		for (i = 1; i < 3; i++)
			if (p[i].revents & POLLIN)
				accept_one(fe, i - 1);
		for (i = 3; i < n; i++)
			if (p[i].revents && fe->conns[map[i]].fd == p[i].fd)
				conn_readable(fe, &fe->conns[map[i]]);
	}
}

int tpm_frontend_start(struct tpm_frontend *fe, int router_fd)
{
	sigset_t all, old;
	int rc;
	fe->router_fd = router_fd;
	/* Signals stay with the launcher's main thread, which reaps and stops tasks. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&fe_thread, NULL, frontend_loop, fe);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		fprintf(stderr, "keel-hosted: tpm: thread: %s\n", strerror(rc));
		return -1;
	}
	fe_running = 1;
	return 0;
}

void tpm_frontend_stop(struct tpm_frontend *fe)
{
	int i;
	if (fe_running) {
		if (write(fe->stop_pipe[1], "x", 1) != 1)
			pthread_cancel(fe_thread);
		pthread_join(fe_thread, NULL);
		fe_running = 0;
	}
	for (i = 0; i < TPM_FE_MAX_CONNS; i++)
		if (fe->conns[i].fd >= 0)
			conn_close(&fe->conns[i]);
	for (i = 0; i < 2; i++) {
		if (fe->listen_fd[i] >= 0)
			close(fe->listen_fd[i]);
		if (fe->stop_pipe[i] >= 0)
			close(fe->stop_pipe[i]);
		fe->listen_fd[i] = fe->stop_pipe[i] = -1;
	}
	if (fe->router_fd >= 0)
		close(fe->router_fd);
	fe->router_fd = -1;
}
