/* The HTTPS listener (tls.h): accepts TCP connections, runs each TLS
 * handshake in its own thread under KBS_TLS_HANDSHAKE_MS, then gives MHD
 * the plaintext end of a socketpair and relays. A client that sends
 * garbage fails its own handshake; one that stalls holds its own thread
 * until the deadline; neither blocks the listener or other clients. */
#include "tls.h"

#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

struct kbs_tls_server {
	SSL_CTX *ctx;
	struct MHD_Daemon *http;
	int lfd;
	int stop[2];              /* a pipe: readable once stopping */
	pthread_t acceptor;
	pthread_mutex_t lock;     /* guards active, stopping, MHD hand-off */
	pthread_cond_t idle;      /* signalled when active drops */
	unsigned active;          /* connection threads alive */
	bool stopping;
};

struct tls_conn {
	struct kbs_tls_server *t;
	int fd;
	struct sockaddr_in peer;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SSL_accept on the non-blocking socket until done, failed, the deadline
 * or stop. Returns 0 or -1 with a reason in why. */
static int handshake(SSL *ssl, int fd, int stop_fd, char *why, size_t len)
{
	long long deadline = now_ms() + KBS_TLS_HANDSHAKE_MS;
	for (;;) {
		ERR_clear_error();
		int r = SSL_accept(ssl);
		if (r == 1)
			return 0;
		int e = SSL_get_error(ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			unsigned long oe = ERR_peek_last_error();
			if (oe)
				ERR_error_string_n(oe, why, len);
			else
				snprintf(why, len, "connection closed");
			return -1;
		}
		long long left = deadline - now_ms();
		if (left <= 0)
			return snprintf(why, len, "timed out"), -1;
		struct pollfd p[2] = {{fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 0}, {stop_fd, POLLIN, 0}};
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			return snprintf(why, len, "poll: %s", strerror(errno)), -1;
		if (p[1].revents)
			return snprintf(why, len, "broker stopping"), -1;
	}
}

/* Gives MHD its end of the socketpair; under the lock so that stop cannot
 * race it (MHD is stopped only after the last connection thread ends). */
static int hand_to_http(struct tls_conn *c, int plain)
{
	struct kbs_tls_server *t = c->t;
	pthread_mutex_lock(&t->lock);
	/* The socketpair's own family; the handlers never read the address. */
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int rc = -1;
	if (!t->stopping)
		rc = MHD_add_connection(t->http, plain, (const struct sockaddr *)&un, sizeof(un)) == MHD_YES ? 0 : -1;
	else
		close(plain);
	pthread_mutex_unlock(&t->lock);
	return rc; /* MHD closes plain itself on failure */
}

static void serve(struct tls_conn *c)
{
	char who[INET_ADDRSTRLEN + 8], why[256];
	char ip[INET_ADDRSTRLEN] = "?";
	inet_ntop(AF_INET, &c->peer.sin_addr, ip, sizeof(ip));
	snprintf(who, sizeof(who), "%s:%u", ip, ntohs(c->peer.sin_port));
	SSL *ssl = SSL_new(c->t->ctx);
	if (!ssl || SSL_set_fd(ssl, c->fd) != 1) {
		kbs_log("TLS: %s: out of memory", who);
		SSL_free(ssl);
		return;
	}
	if (handshake(ssl, c->fd, c->t->stop[0], why, sizeof(why))) {
		kbs_log("TLS handshake with %s failed: %s", who, why);
		SSL_free(ssl);
		return;
	}
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) || fcntl(sp[0], F_SETFL, O_NONBLOCK)) {
		kbs_log("TLS: %s: socketpair: %s", who, strerror(errno));
	} else if (hand_to_http(c, sp[1])) {
		kbs_log("TLS: %s: the HTTP server refused the connection", who);
		close(sp[0]);
	} else {
		kbs_tls_relay(ssl, c->fd, sp[0], c->t->stop[0]);
		close(sp[0]);
	}
	SSL_free(ssl);
}

static void *conn_thread(void *arg)
{
	struct tls_conn *c = arg;
	struct kbs_tls_server *t = c->t;
	serve(c);
	close(c->fd);
	free(c);
	pthread_mutex_lock(&t->lock);
	t->active--;
	pthread_cond_signal(&t->idle);
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/* One thread per connection, at most KBS_TLS_CONN_MAX: beyond, the
 * connection is closed at once (as MHD refuses past its limit). */
static void spawn(struct kbs_tls_server *t, int fd, const struct sockaddr_in *peer)
{
	struct tls_conn *c = malloc(sizeof(*c));
	pthread_attr_t a;
	pthread_t th;
	pthread_mutex_lock(&t->lock);
	bool room = c && !t->stopping && t->active < KBS_TLS_CONN_MAX;
	if (room)
		t->active++;
	pthread_mutex_unlock(&t->lock);
	if (!room) {
		free(c);
		close(fd);
		return;
	}
	*c = (struct tls_conn){.t = t, .fd = fd, .peer = *peer};
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 256 * 1024);
	int rc = pthread_create(&th, &a, conn_thread, c);
	pthread_attr_destroy(&a);
	if (rc) {
		kbs_log("TLS: cannot start a connection thread: %s", strerror(rc));
		free(c);
		close(fd);
		pthread_mutex_lock(&t->lock);
		t->active--;
		pthread_cond_signal(&t->idle);
		pthread_mutex_unlock(&t->lock);
	}
}

static void *accept_thread(void *arg)
{
	struct kbs_tls_server *t = arg;
	for (;;) {
		struct pollfd p[2] = {{t->lfd, POLLIN, 0}, {t->stop[0], POLLIN, 0}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		struct sockaddr_in peer;
		socklen_t pl = sizeof(peer);
		int fd = accept4(t->lfd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				usleep(100 * 1000); /* out of descriptors: let connections end */
			continue;
		}
		spawn(t, fd, &peer);
	}
	return NULL;
}

static int listen_on(const struct sockaddr_in *addr)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) || listen(fd, 64)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct kbs_tls_server *kbs_tls_server_start(SSL_CTX *ctx, const struct sockaddr_in *addr, struct MHD_Daemon *http,
					    char *err, size_t errlen)
{
	struct kbs_tls_server *t = calloc(1, sizeof(*t));
	if (!t) {
		SSL_CTX_free(ctx);
		return snprintf(err, errlen, "out of memory"), NULL;
	}
	t->ctx = ctx;
	t->http = http;
	t->stop[0] = t->stop[1] = -1;
	t->lfd = listen_on(addr);
	if (t->lfd < 0)
		snprintf(err, errlen, "cannot listen: %s", strerror(errno));
	else if (pipe2(t->stop, O_CLOEXEC))
		snprintf(err, errlen, "pipe: %s", strerror(errno));
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->idle, NULL);
	if (t->lfd >= 0 && t->stop[0] >= 0 && pthread_create(&t->acceptor, NULL, accept_thread, t) == 0)
		return t;
	if (t->lfd >= 0 && t->stop[0] >= 0)
		snprintf(err, errlen, "cannot start the listener thread");
	if (t->lfd >= 0)
		close(t->lfd);
	if (t->stop[0] >= 0) {
		close(t->stop[0]);
		close(t->stop[1]);
	}
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->idle);
	SSL_CTX_free(ctx);
	free(t);
	return NULL;
}

void kbs_tls_server_stop(struct kbs_tls_server *t)
{
	pthread_mutex_lock(&t->lock);
	t->stopping = true;
	pthread_mutex_unlock(&t->lock);
	if (write(t->stop[1], "x", 1) != 1)
		kbs_log("TLS: cannot signal the connection threads: %s", strerror(errno));
	pthread_join(t->acceptor, NULL);
	close(t->lfd);
	/* Handshakes and relays watch the stop pipe: they end within a poll. */
	pthread_mutex_lock(&t->lock);
	while (t->active)
		pthread_cond_wait(&t->idle, &t->lock);
	pthread_mutex_unlock(&t->lock);
	close(t->stop[0]);
	close(t->stop[1]);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->idle);
	SSL_CTX_free(t->ctx);
	free(t);
}
