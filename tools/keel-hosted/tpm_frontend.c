/*
 * The TPM front end's sockets and poll loop (tpm_frontend.h). Client bytes
 * are buffered per connection and handed to the parsers of tpm_frames.c;
 * a bad frame closes that connection with a log line and nothing else:
 * other clients, the launcher and the vtpm task keep running. No client can
 * hold the thread: sockets are non-blocking, answers are queued per
 * connection, and every wait a client causes has a deadline.
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
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SVSM_PORT_WIRE_ONLY
#include "svsm_port.h"
#include "tpm_frontend.h"
#include "tpm_listen.h"
#include "vtpm_router.h"

static pthread_t fe_thread;
static int fe_running;

static const char *const kind_name[] = {"command", "platform", "data", "control", "guest port"};

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

void tpm_conn_log(const struct tpm_conn *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->kind == CONN_SVSM)
		fprintf(stderr, "keel-hosted: svsm port: client %u: %s\n", (unsigned)c->id, msg);
	else
		fprintf(stderr, "keel-hosted: tpm: client %u (%s%s): %s\n", (unsigned)c->id,
			kind_name[c->kind], c->local ? ", local" : " port", msg);
}

int tpm_conn_send(struct tpm_conn *c, const void *p, size_t n)
{
	if (n > c->out_cap - c->out_len)
		return -1;
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
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
	(void)fe;
	if (vtpm_router_command(locality, cmd, len, rsp, rsp_len, err, sizeof(err))) {
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

/* The loop's state, once: for the TPM ports, the guest port or both. */
static int fe_init(struct tpm_frontend *fe, uint32_t idle_timeout_s)
{
	struct rlimit rl;
	fe->idle_timeout_s = idle_timeout_s;
	if (fe->conns)
		return 0;
	/* Room for every fd this process may open, less a reserve for the launcher. */
	fe->max_conns = 16;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 128)
		fe->max_conns = rl.rlim_cur - 64 > 4096 ? 4096 : (size_t)(rl.rlim_cur - 64);
	else if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY)
		fe->max_conns = 4096;
	/* Closed connections' structs wait for the end of the poll round: room for as many. */
	fe->slots = 2 * fe->max_conns + 8;
	fe->conns = calloc(fe->slots, sizeof(*fe->conns));
	if (!fe->conns) {
		fprintf(stderr, "keel-hosted: tpm: out of memory\n");
		return -1;
	}
	if (pipe2(fe->stop_pipe, O_CLOEXEC)) {
		perror("keel-hosted: pipe");
		return -1;
	}
	return 0;
}

int tpm_frontend_open_port(struct tpm_frontend *fe, const char *path, uint32_t idle_timeout_s)
{
	if (fe_init(fe, idle_timeout_s))
		return -1;
	fe->listen_fd[2] = tpm_listen_unix(path, "guest port");
	if (fe->listen_fd[2] < 0)
		return -1;
	fe->port_path = path;
	return 0;
}

int tpm_frontend_open(struct tpm_frontend *fe, const char *protocol, const char *port,
		      const char *platform_port, const char *ctrl_path, uint32_t idle_timeout_s)
{
	if (fe_init(fe, idle_timeout_s))
		return -1;
	fe->swtpm = !strcmp(protocol, "swtpm");
	if (ctrl_path) {
		fe->ctrl_path = ctrl_path;
		fe->listen_fd[1] = tpm_listen_unix(ctrl_path, "tpm --ctrl-path");
		if (fe->listen_fd[1] < 0) {
			fe->ctrl_path = NULL;
			tpm_frontend_stop(fe);
			return -1;
		}
	} else {
		fe->listen_fd[0] = tpm_listen_tcp(port);
		if (fe->listen_fd[0] >= 0)
			fe->listen_fd[1] = tpm_listen_tcp(platform_port);
	}
	if (fe->listen_fd[1] < 0) {
		tpm_frontend_stop(fe);
		return -1;
	}
	return 0;
}

/* Closes the socket now; the struct goes at the end of the poll round (reap). */
static void conn_close(struct tpm_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->pending_fd >= 0)
		close(c->pending_fd);
	c->fd = c->pending_fd = -1;
}

static void reap(struct tpm_frontend *fe)
{
	size_t i = 0;
	while (i < fe->nconns) {
		if (fe->conns[i]->fd >= 0) {
			i++;
			continue;
		}
		free(fe->conns[i]);
		fe->conns[i] = fe->conns[--fe->nconns];
	}
}

static size_t live_conns(const struct tpm_frontend *fe)
{
	size_t i, n = 0;
	for (i = 0; i < fe->nconns; i++)
		n += fe->conns[i]->fd >= 0;
	return n;
}

/*
 * Makes room for one more connection by closing the one whose last byte in
 * or out is oldest (TCP clients before local ones): a crowd of idle or
 * half-sent connections can delay a new client by one poll round, never
 * lock it out. 0 if a connection was closed.
 */
static int evict_one(struct tpm_frontend *fe)
{
	struct tpm_conn *victim = NULL;
	size_t i;
	for (i = 0; i < fe->nconns; i++) {
		struct tpm_conn *c = fe->conns[i];
		if (c->fd < 0)
			continue;
		if (!victim || (victim->local && !c->local) ||
		    (victim->local == c->local && c->last_ms < victim->last_ms))
			victim = c;
	}
	if (!victim)
		return -1;
	tpm_conn_log(victim, "%zu connections open (the most this process takes); closing this one, "
		     "idle %llu ms, to admit a new client", live_conns(fe),
		     (unsigned long long)(now_ms() - victim->last_ms));
	conn_close(victim);
	return 0;
}

static struct tpm_conn *conn_new(struct tpm_frontend *fe, int fd, enum tpm_conn_kind kind, int local)
{
	struct tpm_conn *c;
	int fl = fcntl(fd, F_GETFL);
	size_t cap = kind == CONN_SVSM ? sizeof(struct svsm_port_req) + SVSM_PORT_WINDOW_MAX : TPM_CONN_BUF;
	size_t out_cap = kind == CONN_SVSM ? sizeof(struct svsm_port_rsp) + SVSM_PORT_WINDOW_MAX
					   : TPM_CONN_OUT;
	if (live_conns(fe) >= fe->max_conns)
		evict_one(fe);
	c = fe->nconns < fe->slots ? malloc(sizeof(*c) + cap + out_cap) : NULL;
	if (!c || fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		fprintf(stderr, "keel-hosted: tpm: cannot take a new connection: %s\n",
			c ? strerror(errno) : "no room");
		free(c);
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->kind = kind;
	c->local = local;
	c->pending_fd = -1;
	c->id = ++fe->next_id;
	c->data_id = 0;
	c->last_ms = now_ms();
	c->frame_ms = c->out_ms = c->last_ms;
	c->backlog_ms = 0;
	c->queued_max = 0;
	c->len = c->out_len = c->out_off = 0;
	c->buf_cap = cap;
	c->out_cap = out_cap;
	c->buf = (uint8_t *)(c + 1);
	c->out = c->buf + cap;
	fe->conns[fe->nconns++] = c;
	return c;
}

static void accept_one(struct tpm_frontend *fe, int which)
{
	int fd = accept4(fe->listen_fd[which], NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && evict_one(fe) == 0)
		fd = accept4(fe->listen_fd[which], NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (which == 2)
		conn_new(fe, fd, CONN_SVSM, 1);
	else
		conn_new(fe, fd, (enum tpm_conn_kind)((fe->swtpm ? 2 : 0) + which), fe->ctrl_path != NULL);
}

uint32_t tpm_fe_adopt_datafd(struct tpm_frontend *fe, struct tpm_conn *c)
{
	int type = 0, fd = c->pending_fd;
	socklen_t tl = sizeof(type);
	size_t i;
	struct tpm_conn *d;
	c->pending_fd = -1;
	if (fd < 0) {
		tpm_conn_log(c, "CMD_SET_DATAFD without a file descriptor (SCM_RIGHTS)");
		return 3; /* TPM_BAD_PARAMETER, as swtpm */
	}
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) || type != SOCK_STREAM) {
		tpm_conn_log(c, "CMD_SET_DATAFD: the descriptor is not a stream socket");
		close(fd);
		return 3;
	}
	for (i = 0; c->data_id && i < fe->nconns; i++)
		if (fe->conns[i]->id == c->data_id && fe->conns[i]->fd >= 0) {
			tpm_conn_log(c, "CMD_SET_DATAFD: data channel %u is still open",
				     (unsigned)c->data_id);
			close(fd);
			return 0x1f; /* TPM_IOERROR, as swtpm with a data fd in use */
		}
	tpm_bound_buffers(fd);
	d = conn_new(fe, fd, CONN_SWTPM_DATA, 1);
	if (!d)
		return 0x1f;
	c->data_id = d->id;
	return 0;
}

typedef int (*frame_parser)(const uint8_t *, size_t, struct tpm_frame *);
typedef int (*frame_handler)(struct tpm_frontend *, struct tpm_conn *, const struct tpm_frame *);
static const frame_parser parsers[] = {tpm_frame_mssim_command, tpm_frame_mssim_platform,
				       tpm_frame_swtpm_data, tpm_frame_swtpm_ctrl, svsm_port_frame};
static const frame_handler handlers[] = {tpm_mssim_command, tpm_mssim_platform, tpm_swtpm_data,
					 tpm_swtpm_ctrl, svsm_port_serve};

/* Bytes of answers the client has not taken yet (in our queue and the kernel's). */
static size_t conn_backlog(const struct tpm_conn *c)
{
	int q = 0;
	if (ioctl(c->fd, SIOCOUTQ, &q) < 0 || q < 0)
		q = 0;
	return (size_t)q + (c->out_len - c->out_off);
}

/*
 * A client waits for each answer before it sends the next command, so more
 * than TPM_FE_BACKLOG_MAX of answers it has not taken means it stopped
 * reading (the kernel keeps taking a trickle, so a full send buffer alone
 * does not say it). Notes since when, until the client has drained all but
 * one answer's worth; check_deadlines closes it after TPM_FE_SEND_TIMEOUT_MS.
 */
static void note_backlog(struct tpm_conn *c)
{
	size_t b = conn_backlog(c);
	c->queued_max = b;
	if (b > TPM_FE_BACKLOG_MAX && !c->backlog_ms)
		c->backlog_ms = now_ms();
	else if (b <= TPM_CONN_OUT) /* drained to at most one answer: it reads */
		c->backlog_ms = 0;
}

/* Sends what is queued without blocking; -1 if the client is gone. */
static int conn_flush(struct tpm_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		c->out_off += (size_t)w;
		c->queued_max += (size_t)w;
		c->last_ms = now_ms();
	}
	c->out_off = c->out_len = 0;
	/*
	 * The kernel's queue holds at most what it held at the last look plus
	 * what went out since: below TPM_FE_BACKLOG_MAX the client cannot be
	 * over it, so SIOCOUTQ (a syscall per answer) is asked only when that
	 * bound passes it or a backlog is being timed. Same verdicts, same moment.
	 */
	if (c->backlog_ms || c->queued_max > TPM_FE_BACKLOG_MAX)
		note_backlog(c);
	return 0;
}

static int out_pending(const struct tpm_conn *c)
{
	return c->out_off < c->out_len;
}

/* Handles every whole frame buffered, one answer at a time; how many were answered. */
static int conn_process(struct tpm_frontend *fe, struct tpm_conn *c)
{
	struct tpm_frame f;
	int st = TPM_FRAME_MORE, r, one = 1, done = 0;
	while (c->fd >= 0 && !out_pending(c) &&
	       (st = parsers[c->kind](c->buf, c->len, &f)) == TPM_FRAME_OK) {
		c->out_ms = now_ms();
		r = handlers[c->kind](fe, c, &f);
		if (r || conn_flush(c)) {
			if (r < 0)
				tpm_conn_log(c, "connection closed");
			conn_close(c);
			return 0;
		}
		memmove(c->buf, c->buf + f.consumed, c->len - f.consumed);
		c->len -= f.consumed;
		c->frame_ms = now_ms(); /* what is left starts the next frame */
		done++;
	}
	if (c->fd < 0 || out_pending(c))
		return done;
	if (st == TPM_FRAME_BAD || c->len == c->buf_cap) {
		if (c->kind == CONN_SVSM)
			tpm_conn_log(c, "bad frame: %s; connection closed",
				     st == TPM_FRAME_BAD ? f.error : "frame larger than the buffer");
		else
			tpm_conn_log(c, "bad frame (op %u): %s; connection closed", (unsigned)f.op,
				     st == TPM_FRAME_BAD ? f.error : "frame larger than the buffer");
		if (c->kind == CONN_MSSIM_PLAT || c->kind == CONN_SWTPM_CTRL) {
			tpm_conn_send_u32(c, c->kind == CONN_SWTPM_CTRL ? 10u : 1u); /* as the simulator / swtpm answer */
			conn_flush(c);
		} else if (c->kind == CONN_SVSM) {
			svsm_port_refuse(c, (uint32_t)f.arg); /* the clear error, then close */
			conn_flush(c);
		}
		conn_close(c);
		return 0;
	}
	/*
	 * Clients write a frame in pieces (the mssim TCTI: 9-byte header, then
	 * the command); with Nagle on their side each piece waits for our ACK,
	 * so when a frame is incomplete, ACK at once instead of delayed.
	 */
	if (c->len && !c->local)
		setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
	return done;
}

/*
 * Reads what the client sent (and, on a local control socket, fds passed
 * with it); how many frames that answered whole (0: none, would block, closed).
 */
static int conn_readable(struct tpm_frontend *fe, struct tpm_conn *c)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = {c->buf + c->len, c->buf_cap - c->len};
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (c->local && c->kind == CONN_SWTPM_CTRL) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
	}
	n = recvmsg(c->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	for (cm = mh.msg_control && n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int fds[4];
		size_t k, nfd;
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), (nfd > 4 ? 4 : nfd) * sizeof(int));
		for (k = 0; k < nfd && k < 4; k++) {
			if (c->pending_fd < 0)
				c->pending_fd = fds[k];
			else
				close(fds[k]); /* one data fd per CMD_SET_DATAFD */
		}
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {
		if (c->len)
			tpm_conn_log(c, "disconnected in the middle of a frame (%zu bytes buffered)", c->len);
		conn_close(c);
		return 0;
	}
	if (!c->len)
		c->frame_ms = now_ms();
	c->len += (size_t)n;
	c->last_ms = now_ms();
	return conn_process(fe, c);
}

/* Closes connections past a deadline; returns ms until the next one (-1: none). */
static int check_deadlines(struct tpm_frontend *fe)
{
	uint64_t now = now_ms(), next = UINT64_MAX, due;
	size_t i;
	for (i = 0; i < fe->nconns; i++) {
		struct tpm_conn *c = fe->conns[i];
		if (c->fd < 0)
			continue;
		if (c->backlog_ms && now >= c->backlog_ms + TPM_FE_SEND_TIMEOUT_MS) {
			note_backlog(c);
			if (c->backlog_ms) {
				tpm_conn_log(c, "not reading its answers (%zu bytes not taken for %u s); "
					     "connection closed", conn_backlog(c),
					     TPM_FE_SEND_TIMEOUT_MS / 1000);
				conn_close(c);
				continue;
			}
		}
		if (out_pending(c)) {
			due = c->out_ms + TPM_FE_SEND_TIMEOUT_MS;
			if (now >= due) {
				tpm_conn_log(c, "not reading its answers (%zu bytes unsent after %u s); "
					     "connection closed", c->out_len - c->out_off,
					     TPM_FE_SEND_TIMEOUT_MS / 1000);
				conn_close(c);
				continue;
			}
		} else if (c->len) {
			due = c->frame_ms + TPM_FE_FRAME_TIMEOUT_MS;
			if (now >= due) {
				tpm_conn_log(c, "frame not completed within %u s (%zu bytes buffered); "
					     "connection closed", TPM_FE_FRAME_TIMEOUT_MS / 1000, c->len);
				conn_close(c);
				continue;
			}
		} else if ((!c->local || c->kind == CONN_SVSM) && fe->idle_timeout_s) {
			due = c->last_ms + (uint64_t)fe->idle_timeout_s * 1000u;
			if (now >= due) {
				tpm_conn_log(c, "idle for %u s; connection closed", (unsigned)fe->idle_timeout_s);
				conn_close(c);
				continue;
			}
		} else if (!c->backlog_ms) {
			continue;
		} else {
			due = c->backlog_ms + TPM_FE_SEND_TIMEOUT_MS;
		}
		if (c->backlog_ms && c->backlog_ms + TPM_FE_SEND_TIMEOUT_MS < due)
			due = c->backlog_ms + TPM_FE_SEND_TIMEOUT_MS;
		if (due < next)
			next = due;
	}
	if (next == UINT64_MAX)
		return -1;
	return next - now > 60000 ? 60000 : (int)(next - now) + 1;
}

/*
 * A readable connection. A client that waits for each answer usually has its
 * next command in by the time the answer is sent (on one CPU it runs as soon
 * as the answer wakes it): after a whole answer, try the socket again before
 * going back to poll(), which saves that syscall per command. At most
 * TPM_FE_BURST frames and TPM_FE_BURST_MS in a row, so other connections,
 * new clients and the deadlines wait one poll round at most that long.
 */
#define TPM_FE_BURST 16
#define TPM_FE_BURST_MS 2
static void conn_serve(struct tpm_frontend *fe, struct tpm_conn *c)
{
	uint64_t start = 0;
	int k;
	for (k = 0; k < TPM_FE_BURST; k++) {
		if (conn_readable(fe, c) <= 0 || c->fd < 0 || out_pending(c) || c->len)
			return;
		if (!k)
			start = c->last_ms;
		else if (now_ms() - start >= TPM_FE_BURST_MS)
			return;
	}
}

static void *frontend_loop(void *arg)
{
	struct tpm_frontend *fe = arg;
	struct pollfd *p = calloc(fe->slots + 4, sizeof(*p));
	struct tpm_conn **map = calloc(fe->slots + 4, sizeof(*map));
	if (!p || !map) {
		fprintf(stderr, "keel-hosted: tpm: out of memory; front end stopped\n");
		free(p);
		free(map);
		return NULL;
	}
	for (;;) {
		int timeout = check_deadlines(fe);
		size_t i, n = 4;
		reap(fe);
		p[0] = (struct pollfd){fe->stop_pipe[0], POLLIN, 0};
		p[1] = (struct pollfd){fe->listen_fd[0], POLLIN, 0};
		p[2] = (struct pollfd){fe->listen_fd[1], POLLIN, 0};
		p[3] = (struct pollfd){fe->listen_fd[2], POLLIN, 0};
		for (i = 0; i < fe->nconns; i++) {
			struct tpm_conn *c = fe->conns[i];
			map[n] = c;
			p[n++] = (struct pollfd){c->fd, (short)(out_pending(c) ? POLLOUT : POLLIN), 0};
		}
		if (poll(p, (nfds_t)n, timeout) < 0)
			continue;
		if (p[0].revents)
			break;
		for (i = 1; i < 4; i++)
			if (p[i].revents & POLLIN)
				accept_one(fe, (int)i - 1);
		for (i = 4; i < n; i++) {
			struct tpm_conn *c = map[i];
			if (!p[i].revents || c->fd != p[i].fd)
				continue;
			if (out_pending(c)) {
				if (conn_flush(c)) {
					conn_close(c);
					continue;
				}
				conn_process(fe, c); /* frames that waited for the answer to drain */
			} else {
				conn_serve(fe, c);
			}
		}
	}
	free(p);
	free(map);
	return NULL;
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
	size_t i;
	if (fe_running) {
		if (write(fe->stop_pipe[1], "x", 1) != 1)
			pthread_cancel(fe_thread);
		pthread_join(fe_thread, NULL);
		fe_running = 0;
	}
	for (i = 0; i < fe->nconns; i++) {
		conn_close(fe->conns[i]);
		free(fe->conns[i]);
	}
	fe->nconns = 0;
	free(fe->conns);
	fe->conns = NULL;
	for (i = 0; i < 3; i++) {
		if (fe->listen_fd[i] >= 0)
			close(fe->listen_fd[i]);
		if (i < 2 && fe->stop_pipe[i] >= 0)
			close(fe->stop_pipe[i]);
		fe->listen_fd[i] = -1;
		if (i < 2)
			fe->stop_pipe[i] = -1;
	}
	if (fe->ctrl_path)
		unlink(fe->ctrl_path);
	if (fe->port_path)
		unlink(fe->port_path);
	fe->ctrl_path = fe->port_path = NULL;
	fe->router_fd = -1; /* svsm_port's (svsm_port_close) */
}
