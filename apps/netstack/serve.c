/*
 * The serve loop (serve.h). Between requests lwIP must keep running
 * (timers, ARP and ICMP echo replies, ACKs, DHCP renewals): the loop waits
 * on the client's channel no longer than lwIP's next timer (at most
 * IDLE_MAX_MS) and then drains netdev without waiting (pump(0)). While a
 * request waits for the network, pump() blocks in netdev's RECV instead:
 * the one client is blocked on its call anyway.
 */
#include "serve.h"

#include <string.h>

#include <keel/syscall.h>

#include "lwip/timeouts.h"

#include "../consdev/request.h"
#include "../consdev/stream_protocol.h"
#include "link.h"
#include "netstack.h"
#include "tcp_conn.h"

#define IDLE_MAX_MS 50u

/* Any message the kernel can carry: an oversized one is checked (EINVAL), not lost. */
static uint8_t req_buf[KEEL_MSG_MAX];
static uint8_t rsp_buf[sizeof(struct stream_rsp) + STREAM_CHUNK_MAX];

static int32_t perform(const struct stream_checked *c, uint32_t *count)
{
	*count = 0;
	switch (c->op) {
	case STREAM_OP_WRITE:
		return conn_write(c->data, c->count, count);
	case STREAM_OP_READ:
		return conn_read(rsp_buf + sizeof(struct stream_rsp), c->max, c->timeout_ms, count);
	default:
		return conn_reset(c->timeout_ms);
	}
}

/* Answers the request in req_buf[0..n); returns the reply length. */
static size_t answer(size_t n, unsigned long *refused)
{
	struct stream_checked c;
	uint32_t count = 0;
	int32_t status = stream_request_check(req_buf, n, &c);

	if (status == STREAM_OK)
		status = perform(&c, &count);
	else
		++*refused;
	return stream_reply(rsp_buf, req_buf, n, &c, status, count);
}

/* How long to wait for the client: lwIP's next timer, IDLE_MAX_MS at most;
 * for ever when the link is down (nothing to keep alive). */
static uint64_t idle_ns(void)
{
	uint32_t ms = sys_timeouts_sleeptime();
	if (link_status() != 0)
		return KEEL_WAIT_FOREVER;
	if (ms > IDLE_MAX_MS)
		ms = IDLE_MAX_MS;
	return (uint64_t)ms * 1000000u;
}

int serve(keel_handle_t h, unsigned long *served, unsigned long *refused)
{
	for (;;) {
		long w = keel_wait(&h, 1, idle_ns());
		long n, r;
		if (w == KEEL_ETIMEDOUT || w == KEEL_EAGAIN) {
			pump(0);
			continue;
		}
		if (w < 0) {
			keel_logf("netstack: wait failed: %ld", w);
			return 1;
		}
		n = keel_chan_recv(h, req_buf, sizeof(req_buf));
		if (n == KEEL_EPEERCLOSED)
			return 0;
		if (n < 0) {
			keel_logf("netstack: recv failed: %ld", n);
			if (n != KEEL_ETOOBIG) /* any other error repeats on every recv */
				return 1;
			continue;
		}
		r = keel_chan_reply(h, rsp_buf, answer((size_t)n, refused));
		if (r == KEEL_EPEERCLOSED)
			return 0;
		if (r < 0)
			keel_logf("netstack: reply failed: %ld", r);
		++*served;
		pump(0);
	}
}
