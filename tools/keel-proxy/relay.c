/*
 * The relay loop: one poll over QEMU's socket and the current TCP
 * connection, two bounded buffers (VM -> peer, peer -> VM) and
 * backpressure: a side is read only while the buffer it fills has room.
 * The VM's bytes pass through the reset-line scanner and nothing else.
 */
#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../apps/consdev/reset_line.h"

#define BUF_MAX 65536u
#define CHUNK 4096u
#define CONNECT_TIMEOUT_S 5
#define DRAIN_TIMEOUT_MS 2000
/*
 * A partial reset line at the end of what the VM sent is held until the
 * next byte shows whether it is the line. consdev sends the line in one
 * transmit, so when nothing follows within HOLD_MS the held bytes were
 * data (binary data such as TLS records can end in 00, 00 'K', ...): they
 * go to the peer, who may be waiting for exactly that last byte.
 */
#define HOLD_MS 200

struct relay {
	int vm, tcp;
	const struct relay_peer *peer;
	unsigned long conn, resets;
	unsigned long long sent, received; /* on the current connection */
	struct reset_scan scan;
	long long held_at; /* CLOCK_MONOTONIC ms when the held partial line began, 0: none */
	unsigned char to_peer[BUF_MAX], to_vm[BUF_MAX];
	size_t tp, tv;
};

static struct relay r;

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void close_tcp(const char *why)
{
	if (r.tcp < 0)
		return;
	fprintf(stderr,
	        "keel-proxy: connection %lu to %s closed: %s (%llu bytes to the peer, %llu to the "
	        "VM)\n",
	        r.conn, r.peer->name, why, r.sent, r.received);
	close(r.tcp);
	r.tcp = -1;
}

/* A new connection for the VM's bytes; on failure they are dropped (the VM times out). */
static void open_tcp(void)
{
	struct timeval tmo = {CONNECT_TIMEOUT_S, 0};
	int fd = socket(r.peer->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	r.conn++;
	if (fd >= 0) /* connect(2) honours the send timeout on Linux */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo));
	if (fd < 0 || connect(fd, (const struct sockaddr *)&r.peer->addr, r.peer->addr_len) != 0) {
		fprintf(stderr,
		        "keel-proxy: connection %lu: cannot connect to %s: %s; %zu bytes from the "
		        "VM dropped\n",
		        r.conn, r.peer->name, strerror(errno), r.tp);
		if (fd >= 0)
			close(fd);
		r.tp = 0;
		return;
	}
	set_nonblock(fd);
	r.tcp = fd;
	r.sent = r.received = 0;
	fprintf(stderr, "keel-proxy: connection %lu to %s open\n", r.conn, r.peer->name);
}

/* Writes what it can of to_peer; 0, or -1 when the connection failed (closed, bytes dropped). */
static int flush_peer(void)
{
	ssize_t n;
	if (r.tcp < 0 || !r.tp)
		return 0;
	n = send(r.tcp, r.to_peer, r.tp, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		char why[160];
		snprintf(why, sizeof(why), "send: %s; %zu bytes from the VM dropped",
		         strerror(errno), r.tp);
		r.tp = 0;
		close_tcp(why);
		return -1;
	}
	memmove(r.to_peer, r.to_peer + n, r.tp - (size_t)n);
	r.tp -= (size_t)n;
	r.sent += (unsigned long long)n;
	return 0;
}

/* The VM's reset line: the old connection gets what came before it, then ends. */
static void reset(void)
{
	if (r.tp && r.tcp < 0)
		open_tcp();
	for (int waited = 0; r.tp && r.tcp >= 0 && waited < DRAIN_TIMEOUT_MS; waited += 10) {
		struct pollfd p = {r.tcp, POLLOUT, 0};
		poll(&p, 1, 10);
		flush_peer();
	}
	r.resets++;
	if (r.tcp >= 0)
		close_tcp("reset line from the VM");
	else
		fprintf(stderr, "keel-proxy: reset line from the VM (no connection open)\n");
	r.tp = 0;
	r.tv = 0; /* the old connection's bytes the VM has not taken: consdev drops them too */
	memcpy(r.to_vm, RESET_LINE, RESET_LINE_LEN);
	r.tv = RESET_LINE_LEN;
}

static void from_vm(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t flush;
		int held;
		int done = reset_scan_byte(&r.scan, b[i], &flush, &held);
		memcpy(r.to_peer + r.tp, RESET_LINE, flush); /* a partial line that was data */
		r.tp += flush;
		if (done)
			reset();
		else if (!held)
			r.to_peer[r.tp++] = b[i];
	}
	if (r.tp && r.tcp < 0)
		open_tcp();
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* poll's timeout: -1 while nothing is held, else what is left of HOLD_MS (0: release it). */
static int hold_left(void)
{
	if (!r.scan.matched) {
		r.held_at = 0;
		return -1;
	}
	long long now = now_ms();
	if (!r.held_at)
		r.held_at = now;
	long long left = HOLD_MS - (now - r.held_at);
	return left > 0 ? (int)left : 0;
}

/* HOLD_MS passed with a partial reset line held: it was data. */
static void release_held(void)
{
	memcpy(r.to_peer + r.tp, RESET_LINE, r.scan.matched);
	r.tp += r.scan.matched;
	r.scan.matched = 0;
	r.held_at = 0;
	if (r.tcp < 0)
		open_tcp();
}

/* One poll round; 1 when QEMU went away, -1 on an error on its socket. */
static int step(void)
{
	struct pollfd p[2] = {{r.vm, 0, 0}, {r.tcp, 0, 0}};
	unsigned char b[CHUNK];
	ssize_t n;
	if (BUF_MAX - r.tp >= CHUNK + RESET_LINE_LEN)
		p[0].events |= POLLIN;
	if (r.tv)
		p[0].events |= POLLOUT;
	if (r.tcp >= 0) {
		if (BUF_MAX - r.tv >= CHUNK)
			p[1].events |= POLLIN;
		if (r.tp)
			p[1].events |= POLLOUT;
	}
	if (poll(p, r.tcp >= 0 ? 2 : 1, hold_left()) < 0)
		return errno == EINTR ? 0 : -1;
	if (hold_left() == 0)
		release_held(); /* a read of the VM's socket leaves room for RESET_LINE_LEN more */
	if ((p[0].events & POLLIN) && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
		n = read(r.vm, b, sizeof(b));
		if (n == 0)
			return 1;
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "keel-proxy: QEMU's socket: %s\n", strerror(errno));
			return -1;
		}
		if (n > 0)
			from_vm(b, (size_t)n);
	}
	if (r.tv && (p[0].revents & POLLOUT)) {
		n = write(r.vm, r.to_vm, r.tv);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "keel-proxy: QEMU's socket: %s\n", strerror(errno));
			return -1;
		}
		if (n > 0) {
			memmove(r.to_vm, r.to_vm + n, r.tv - (size_t)n);
			r.tv -= (size_t)n;
		}
	}
	if (r.tcp >= 0 && p[1].fd == r.tcp && (p[1].revents & POLLOUT))
		flush_peer();
	if (r.tcp >= 0 && p[1].fd == r.tcp && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
		n = recv(r.tcp, r.to_vm + r.tv, BUF_MAX - r.tv, 0);
		if (n == 0)
			close_tcp("the peer closed it");
		else if (n < 0 && errno != EAGAIN && errno != EINTR)
			close_tcp(strerror(errno));
		else if (n > 0) {
			r.tv += (size_t)n;
			r.received += (unsigned long long)n;
		}
	}
	return 0;
}

int relay_run(int vm_fd, const struct relay_peer *peer)
{
	int s = 0;
	r.vm = vm_fd;
	r.tcp = -1;
	r.peer = peer;
	set_nonblock(vm_fd);
	while (!s)
		s = step();
	close_tcp("QEMU went away");
	if (s > 0)
		fprintf(
		    stderr,
		    "keel-proxy: QEMU closed the socket; %lu connections, %lu resets; exiting\n",
		    r.conn, r.resets);
	close(vm_fd);
	return s > 0 ? 0 : 1;
}
