/* The hosted transport: a TCP connection to the broker (kbs=HOST:PORT). */
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport.h"

static int tcp_connect(struct transport *t)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
	char port[8];
	snprintf(port, sizeof(port), "%u", t->port);
	if (getaddrinfo(t->host, port, &hints, &res))
		return -1;
	t->fd = -1;
	for (ai = res; ai && t->fd < 0; ai = ai->ai_next) {
		t->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (t->fd >= 0 && connect(t->fd, ai->ai_addr, ai->ai_addrlen)) {
			close(t->fd);
			t->fd = -1;
		}
	}
	freeaddrinfo(res);
	if (t->fd < 0)
		return -1;
	int one = 1; /* small request/response exchanges: no Nagle delay */
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static int wait_fd(int fd, short ev, unsigned timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int r = poll(&p, 1, (int)timeout_ms);
	return r > 0 ? 0 : r == 0 ? TRANSPORT_ETIMEDOUT : -1;
}

static int tcp_write(struct transport *t, const void *buf, size_t len, unsigned timeout_ms)
{
	const char *p = buf;
	while (len) {
		if (wait_fd(t->fd, POLLOUT, timeout_ms))
			return -1;
		ssize_t n = send(t->fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static long tcp_read(struct transport *t, void *buf, size_t cap, unsigned timeout_ms)
{
	int w = wait_fd(t->fd, POLLIN, timeout_ms);
	if (w)
		return w;
	ssize_t n = recv(t->fd, buf, cap, 0);
	return n < 0 ? -1 : (long)n;
}

static void tcp_close(struct transport *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int transport_tcp_init(struct transport *t, const char *host, unsigned port)
{
	memset(t, 0, sizeof(*t));
	t->name = "tcp";
	t->fd = -1;
	snprintf(t->host, sizeof(t->host), "%s", host);
	t->port = port;
	t->connect = tcp_connect;
	t->write = tcp_write;
	t->read = tcp_read;
	t->close = tcp_close;
	return 0;
}
