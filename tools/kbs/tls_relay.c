/* The byte relay between one TLS session and MHD's end of a socketpair
 * (tls.h). One thread, both sockets non-blocking: each turn tries every
 * move that has room (TLS -> plain, plain -> TLS), then polls for what
 * the blocked moves wait on. One SSL object is never used from two
 * threads, and a client that stops reading blocks only its own relay
 * (MHD's write side then times out and closes the plain end). */
#include "tls.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define RELAY_BUF 16384

struct half {
	unsigned char buf[RELAY_BUF];
	size_t off, len;          /* bytes [off, len) are still to be written */
};

struct relay {
	SSL *ssl;
	int net, plain;
	struct half in, out;      /* in: TLS -> plain (requests); out: plain -> TLS */
	int rd_want, wr_want;     /* SSL_ERROR_WANT_* of the last blocked SSL_read / SSL_write */
	bool tls_eof, plain_eof, plain_hup;
	bool failed;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SSL_read/SSL_write's result: true on progress; sets *want or the ends. */
static bool ssl_result(struct relay *r, int n, int *want, bool reading)
{
	if (n > 0) {
		*want = 0;
		return true;
	}
	int e = SSL_get_error(r->ssl, n);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		*want = e;
	else if (reading && e == SSL_ERROR_ZERO_RETURN)
		r->tls_eof = true;   /* the client's close_notify */
	else
		r->failed = true;    /* reset, a bad record, EOF without close_notify */
	return false;
}

/* One pass over the four moves; true if any made progress. */
static bool relay_turn(struct relay *r)
{
	bool moved = false;
	ERR_clear_error();
	if (r->in.off == r->in.len && !r->tls_eof) {
		int n = SSL_read(r->ssl, r->in.buf, sizeof(r->in.buf));
		if (ssl_result(r, n, &r->rd_want, true)) {
			r->in.off = 0;
			r->in.len = (size_t)n;
			moved = true;
		}
	}
	if (r->in.off < r->in.len) {
		ssize_t n = write(r->plain, r->in.buf + r->in.off, r->in.len - r->in.off);
		if (n > 0) {
			r->in.off += (size_t)n;
			moved = true;
		} else if (errno != EAGAIN && errno != EINTR) {
			r->failed = true; /* MHD closed the connection */
		}
	}
	if (r->out.off == r->out.len && !r->plain_eof) {
		ssize_t n = read(r->plain, r->out.buf, sizeof(r->out.buf));
		if (n > 0) {
			r->out.off = 0;
			r->out.len = (size_t)n;
			moved = true;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			r->plain_eof = true;
		}
	}
	if (r->out.off < r->out.len) {
		int n = SSL_write(r->ssl, r->out.buf + r->out.off, (int)(r->out.len - r->out.off));
		if (ssl_result(r, n, &r->wr_want, false)) {
			r->out.off += (size_t)n;
			moved = true;
		}
	}
	return moved;
}

/* Waits for what the blocked moves need, the stop pipe, or the idle limit.
 * Returns false to end the relay. */
static bool relay_wait(struct relay *r, int stop_fd, long long idle_until)
{
	short net_ev = 0;
	bool reading = r->in.off == r->in.len && !r->tls_eof;
	bool writing = r->out.off < r->out.len;
	if ((reading && r->rd_want == SSL_ERROR_WANT_READ) || (writing && r->wr_want == SSL_ERROR_WANT_READ))
		net_ev |= POLLIN;
	if ((reading && r->rd_want == SSL_ERROR_WANT_WRITE) || (writing && r->wr_want == SSL_ERROR_WANT_WRITE))
		net_ev |= POLLOUT;
	short plain_ev = (short)((r->in.off < r->in.len ? POLLOUT : 0) |
				 (r->out.off == r->out.len && !r->plain_eof ? POLLIN : 0));
	/* A hung-up plain end reports POLLHUP whatever is asked: leave it out
	 * of the set so a relay waiting on the client does not spin. */
	struct pollfd p[3] = {{r->net, net_ev, 0}, {r->plain_hup ? -1 : r->plain, plain_ev, 0}, {stop_fd, POLLIN, 0}};
	long long left = idle_until - now_ms();
	if (left <= 0)
		return false;
	int n = poll(p, 3, (int)left);
	if (n < 0)
		return errno == EINTR;
	if (n == 0 || p[2].revents)
		return false;
	if (p[1].revents & (POLLHUP | POLLERR))
		r->plain_hup = true;
	return !(p[0].revents & POLLNVAL);
}

int kbs_tls_relay(SSL *ssl, int net, int plain, int stop_fd)
{
	struct relay *r = malloc(sizeof(*r)); /* 32 KiB of buffers: off the thread's stack */
	if (!r)
		return -1;
	*r = (struct relay){.ssl = ssl, .net = net, .plain = plain};
	long long idle_until = now_ms() + KBS_TLS_IDLE_MS;
	int rc = -1;
	for (;;) {
		bool moved = relay_turn(r);
		if (moved)
			idle_until = now_ms() + KBS_TLS_IDLE_MS;
		if (r->failed)
			break;
		bool in_done = r->tls_eof && r->in.off == r->in.len;
		bool out_done = r->plain_eof && r->out.off == r->out.len;
		if (in_done || out_done) {
			/* MHD closed (keep-alive over, timeout) or the client sent
			 * close_notify: answer with ours, best effort (non-blocking). */
			ERR_clear_error();
			SSL_shutdown(ssl);
			rc = 0;
			break;
		}
		/* Wait only once a whole turn moved nothing: the want flags then
		 * describe what every blocked move needs. */
		if (!moved && !relay_wait(r, stop_fd, idle_until))
			break;
	}
	/* The buffers held request and response bodies (state keys travel
	 * JWE-wrapped, but the session cookies do not): wipe them. */
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
	return rc;
}
