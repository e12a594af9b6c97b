/*
 * keel-tpm-serial: the TPM simulator TCP protocol (tpm2-tss mssim TCTI) on
 * 127.0.0.1, turned into the test guest's COM2 frames (serial_frame.h) on
 * a QEMU chardev unix socket, so host tools drive the booted vTPM through
 * the real guest path: tool -> adapter -> COM2 -> guest -> SVSM_VTPM_CMD ->
 * Keel router -> vtpm. Platform-port signals are acknowledged here: the
 * booted TPM has no power switch (a booted power cycle is a reboot).
 * docs/guest.md; stopped by SIGTERM/SIGINT, which sends the guest its exit frame.
 *
 * Hostile clients: one client per port, the newest replacing the old one
 * (so an idle or half-sent connection never locks a new client out); a
 * frame must arrive whole within FRAME_TIMEOUT_MS of its first byte, a
 * connection idle for --idle-timeout is closed, and a client that has not
 * taken 16 KiB of answers, or one answer within SEND_TIMEOUT_S (fixed 64 KiB
 * buffers), is closed.
 */
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "serial_frame.h"
#include "tpm_frames.h"
#include "fd_io.h"

#define SERVER_VERSION 1u
#define SERVER_FLAGS (0x01u | 0x04u | 0x08u) /* platform available, raw mode, PP */
#define TPM_RC_FAILURE 0x101u
#define FRAME_TIMEOUT_MS 5000
#define SEND_TIMEOUT_S 5
#define SOCK_BUF (64 * 1024)

struct conn {
	int fd, platform;
	uint64_t frame_ms, last_ms; /* first byte of the pending frame; last byte in or out */
	size_t len;
	uint8_t buf[2 * 4096];
};

static int serial_fd = -1, guest_timeout_ms = 600000, idle_timeout_s = 600;
static uint8_t sbuf[2 * 4096];
static size_t slen;
static volatile sig_atomic_t stopping;

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

static void on_signal(int s)
{
	(void)s;
	stopping = 1;
}

/* To a client: the whole answer within SEND_TIMEOUT_S, or -1. */
static int client_write(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t end = now_ms() + SEND_TIMEOUT_S * 1000u;
	while (n) {
		ssize_t w = send(fd, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {fd, POLLOUT, 0};
			uint64_t now = now_ms();
			if (now >= end || poll(&p, 1, (int)(end - now)) == 0)
				return -1;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w, n -= (size_t)w;
	}
	return 0;
}

static int send_u32(int fd, uint32_t v)
{
	uint8_t b[4];
	tpm_put_be32(b, v);
	return client_write(fd, b, 4);
}

static int serial_connect(const char *path, int wait_s)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	for (int i = 0; i < wait_s * 10; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		usleep(100000);
	}
	return -1;
}

static int listen_on(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int one = 1, sz = SOCK_BUF, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* Fixed buffers (accepted sockets inherit them): a client that stops reading fills them fast. */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* One command through the guest: frame out, wait for one response frame. 0 or -1 (reason printed). */
static int guest_transact(uint8_t loc, const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t *rsp_len)
{
	uint8_t frame[KTPM_REQ_HEADER + KTPM_CMD_MAX];
	struct ktpm_response r;
	if (ktpm_request(frame, sizeof(frame), loc, cmd, len) || fd_write_all(serial_fd, frame, KTPM_REQ_HEADER + len))
		return fprintf(stderr, "keel-tpm-serial: cannot send the command to the guest\n"), -1;
	for (;;) {
		int st = ktpm_response_parse(sbuf, slen, &r);
		if (st == KTPM_BAD) {
			fprintf(stderr, "keel-tpm-serial: bad response frame from the guest: %s\n", r.error);
			slen = 0;
			return -1;
		}
		if (st == KTPM_OK)
			break;
		struct pollfd p = {serial_fd, POLLIN, 0};
		if (poll(&p, 1, guest_timeout_ms) <= 0)
			return fprintf(stderr, "keel-tpm-serial: no response from the guest in %d ms\n",
				       guest_timeout_ms), -1;
		ssize_t n = read(serial_fd, sbuf + slen, sizeof(sbuf) - slen);
		if (n <= 0)
			return fprintf(stderr, "keel-tpm-serial: the guest's serial port closed\n"), -1;
		slen += (size_t)n;
	}
	memcpy(rsp, r.data, r.len);
	*rsp_len = r.len;
	memmove(sbuf, sbuf + r.consumed, slen - r.consumed);
	slen -= r.consumed;
	return 0;
}

static int send_command(struct conn *c, const struct tpm_frame *f)
{
	uint8_t out[4 + KTPM_RSP_MAX + 4];
	uint32_t n = 0;
	if (guest_transact(f->locality, f->data, f->data_len, out + 4, &n)) {
		static const uint8_t fail[10] = {0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01};
		memcpy(out + 4, fail, sizeof(fail));
		n = sizeof(fail);
	}
	tpm_put_be32(out, n);
	tpm_put_be32(out + 4 + n, 0);
	return client_write(c->fd, out, n + 8);
}

/* One frame of the command port: 0 keep, 1 close, -1 error. */
static int command_op(struct conn *c, const struct tpm_frame *f)
{
	switch (f->op) {
	case TPM_SEND_COMMAND:
		return send_command(c, f) ? -1 : 0;
	case TPM_REMOTE_HANDSHAKE:
		if (send_u32(c->fd, SERVER_VERSION) || send_u32(c->fd, SERVER_FLAGS))
			return -1;
		break;
	case TPM_SESSION_END:
	case TPM_STOP:
		return 1;
	}
	return send_u32(c->fd, 0) ? -1 : 0;
}

/* One frame of the platform port: every signal acknowledged locally. */
static int platform_op(struct conn *c, const struct tpm_frame *f)
{
	static const uint8_t sizes[4 + 16] = {0, 0, 0, 16};
	switch (f->op) {
	case TPM_SESSION_END:
	case TPM_STOP:
		return 1;
	case TPM_TEST_FAILURE_MODE:
		return send_u32(c->fd, 1) ? -1 : 0;
	case TPM_GET_COMMAND_RESPONSE_SIZES:
		if (client_write(c->fd, sizes, sizeof(sizes)))
			return -1;
		break;
	}
	return send_u32(c->fd, 0) ? -1 : 0;
}

/* Serve what the client sent so far; 0 keep the connection, else close it. */
static int serve(struct conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n <= 0)
		return 1;
	if (!c->len)
		c->frame_ms = now_ms();
	c->len += (size_t)n;
	c->last_ms = now_ms();
	for (;;) {
		struct tpm_frame f;
		int st = c->platform ? tpm_frame_mssim_platform(c->buf, c->len, &f)
				     : tpm_frame_mssim_command(c->buf, c->len, &f);
		if (st == TPM_FRAME_MORE)
			return c->len == sizeof(c->buf); /* a frame never needs more than the buffer */
		if (st == TPM_FRAME_BAD) {
			fprintf(stderr, "keel-tpm-serial: %s port: malformed frame (%s); closing the connection\n",
				c->platform ? "platform" : "command", f.error);
			return 1;
		}
		/* A client waits for each answer: more than 16 KiB of them untaken means it stopped reading. */
		int q = 0;
		if (ioctl(c->fd, SIOCOUTQ, &q) == 0 && q > 16 * 1024) {
			fprintf(stderr, "keel-tpm-serial: %s port: %d bytes of answers not taken; "
					"closing the connection\n", c->platform ? "platform" : "command", q);
			return 1;
		}
		int r = c->platform ? platform_op(c, &f) : command_op(c, &f);
		if (r) {
			if (r < 0)
				fprintf(stderr, "keel-tpm-serial: %s port: answer not taken within %d s "
						"(client not reading, or gone); closing the connection\n",
					c->platform ? "platform" : "command", SEND_TIMEOUT_S);
			return r;
		}
		memmove(c->buf, c->buf + f.consumed, c->len - f.consumed);
		c->len -= f.consumed;
		c->frame_ms = c->last_ms = now_ms(); /* what is left starts the next frame */
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: keel-tpm-serial --serial PATH [--port N] [--platform-port N] "
			"[--wait S] [--guest-timeout S]\n"
			"  --serial PATH    QEMU chardev unix socket of the guest's COM2\n"
			"                   (keel-qemu --serial2 socket,path=PATH,server=on,wait=off)\n"
			"  --port N         TPM simulator command port on 127.0.0.1 (default 2321)\n"
			"  --platform-port N  platform port (default: command port + 1)\n"
			"  --wait S         seconds to keep trying to reach PATH (default 60)\n"
			"  --guest-timeout S  seconds to wait for one response (default 600)\n"
			"  --idle-timeout S   close a client idle this long (default 600, 0: never)\n");
	exit(2);
}

static int accept_into(int lfd, struct conn *c, int platform)
{
	int fd = accept4(lfd, 0, 0, SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	if (c->fd >= 0) { /* one client per port, as the simulator: the newest wins */
		fprintf(stderr, "keel-tpm-serial: %s port: new client replaces the old one\n",
			platform ? "platform" : "command");
		close(c->fd);
	}
	c->fd = fd;
	c->len = 0;
	c->platform = platform;
	c->frame_ms = c->last_ms = now_ms();
	return 0;
}

/* Closes `c` if a deadline passed; returns ms until its next deadline (-1: none). */
static int deadline(struct conn *c)
{
	const char *port = c->platform ? "platform" : "command";
	uint64_t now = now_ms(), due;
	if (c->fd < 0)
		return -1;
	if (c->len)
		due = c->frame_ms + FRAME_TIMEOUT_MS;
	else if (idle_timeout_s)
		due = c->last_ms + (uint64_t)idle_timeout_s * 1000u;
	else
		return -1;
	if (now < due)
		return (int)(due - now) + 1;
	if (c->len)
		fprintf(stderr, "keel-tpm-serial: %s port: frame not completed within %d s (%zu bytes); "
				"closing the connection\n", port, FRAME_TIMEOUT_MS / 1000, c->len);
	else
		fprintf(stderr, "keel-tpm-serial: %s port: idle for %d s; closing the connection\n", port,
			idle_timeout_s);
	close(c->fd);
	c->fd = -1;
	return -1;
}

static int min_timeout(int a, int b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static void loop(int lcmd, int lplat)
{
	static struct conn cmd = {.fd = -1}, plat = {.fd = -1, .platform = 1};
	while (!stopping) {
		struct pollfd p[5] = {{lcmd, POLLIN, 0}, {lplat, POLLIN, 0}, {cmd.fd, POLLIN, 0},
				      {plat.fd, POLLIN, 0}, {serial_fd, POLLIN, 0}};
		int timeout = min_timeout(deadline(&cmd), deadline(&plat));
		p[2].fd = cmd.fd;
		p[3].fd = plat.fd;
		if (poll(p, 5, timeout) < 0)
			continue; /* EINTR: check `stopping` */
		if (p[4].revents & (POLLHUP | POLLERR)) {
			fprintf(stderr, "keel-tpm-serial: the guest's serial port closed\n");
			return;
		}
		if (p[4].revents & POLLIN && slen < sizeof(sbuf)) { /* unsolicited guest bytes: kept for the next parse */
			ssize_t n = read(serial_fd, sbuf + slen, sizeof(sbuf) - slen);
			if (n <= 0)
				return;
			slen += (size_t)n;
		}
		if (p[0].revents & POLLIN)
			accept_into(lcmd, &cmd, 0);
		if (p[1].revents & POLLIN)
			accept_into(lplat, &plat, 1);
		if (cmd.fd >= 0 && p[2].revents && serve(&cmd)) {
			close(cmd.fd);
			cmd.fd = -1;
		}
		if (plat.fd >= 0 && p[3].revents && serve(&plat)) {
			close(plat.fd);
			plat.fd = -1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *path = 0;
	int port = 2321, pport = 0, wait_s = 60;
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--serial"))
			path = argv[++i];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--platform-port"))
			pport = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--wait"))
			wait_s = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--guest-timeout"))
			guest_timeout_ms = atoi(argv[++i]) * 1000;
		else if (!strcmp(argv[i], "--idle-timeout"))
			idle_timeout_s = atoi(argv[++i]);
		else
			usage();
	}
	if (!pport)
		pport = port + 1;
	if (!path || port <= 0 || port > 65535 || pport <= 0 || pport > 65535 || guest_timeout_ms <= 0 ||
	    idle_timeout_s < 0)
		usage();
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, 0);
	sigaction(SIGINT, &sa, 0);
	signal(SIGPIPE, SIG_IGN);
	int lcmd = listen_on(port), lplat = listen_on(pport);
	if (lcmd < 0 || lplat < 0)
		return fprintf(stderr, "keel-tpm-serial: cannot listen on 127.0.0.1:%d/%d: %s\n", port, pport,
			       strerror(errno)), 1;
	if ((serial_fd = serial_connect(path, wait_s)) < 0)
		return fprintf(stderr, "keel-tpm-serial: cannot reach the guest's serial port %s\n", path), 1;
	fprintf(stderr, "keel-tpm-serial: ready: command port %d, platform port %d, guest serial %s\n", port,
		pport, path);
	loop(lcmd, lplat);
	uint8_t bye[KTPM_REQ_HEADER];
	ktpm_exit_frame(bye);
	if (fd_write_all(serial_fd, bye, sizeof(bye)) == 0)
		fprintf(stderr, "keel-tpm-serial: stopping: exit frame sent to the guest\n");
	close(serial_fd);
	return 0;
}
