/*
 * netdev: the network driver task. Serves net_protocol.h on handle slot 1
 * to its one client until the client goes away: receive, check
 * (request.c), do it on the backend, reply. README.md describes it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include "net_protocol.h"
#include "request.h"

#define NET_HANDLE ((keel_handle_t)1)

/* Any message the kernel can carry: an oversized one is checked (EINVAL), not lost. */
static uint8_t req_buf[KEEL_MSG_MAX];
static uint8_t rsp_buf[sizeof(struct net_rsp) + NET_FRAME_MAX];

static int32_t perform(const struct net_checked *c, int32_t dev, struct net_rsp *rsp)
{
	int32_t s;
	if (dev != NET_OK)
		return dev;
	switch (c->op) {
	case NET_OP_SEND:
		s = net_backend_send(c->frame, c->len);
		if (s == NET_OK)
			rsp->len = c->len;
		return s;
	case NET_OP_RECV:
		return net_backend_recv(rsp_buf + sizeof(*rsp), NET_FRAME_MAX, c->timeout_ms,
		                        &rsp->len);
	default:
		return net_backend_info(rsp->mac, &rsp->mtu);
	}
}

/* Answers the request in req_buf[0..n); returns the reply length. */
static size_t answer(int32_t dev, size_t n, unsigned long *refused)
{
	struct net_checked c;
	struct net_rsp rsp;
	uint32_t extra;
	int32_t status = net_request_check(req_buf, n, &c);

	memset(&rsp, 0, sizeof(rsp));
	if (status == NET_OK)
		status = perform(&c, dev, &rsp);
	else
		++*refused;
	/* Echo the op (when there is one) so the client can match its answer. */
	rsp.hdr.op =
	    n >= sizeof(struct keel_msg) ? ((const struct keel_msg *)req_buf)->op : KEEL_OP_ERROR;
	rsp.status = status;
	/* Only a good RECV carries bytes after the header. */
	extra = status == NET_OK && c.op == NET_OP_RECV ? rsp.len : 0;
	if (status != NET_OK)
		rsp.len = 0;
	rsp.hdr.len = (uint32_t)(sizeof(rsp) - sizeof(rsp.hdr) + extra);
	memcpy(rsp_buf, &rsp, sizeof(rsp));
	return sizeof(rsp) + extra;
}

int main(void)
{
	unsigned long served = 0, refused = 0;
	char counters[200];
	int32_t dev = net_backend_open();

	for (;;) {
		long n = keel_chan_recv(NET_HANDLE, req_buf, sizeof(req_buf));
		long r;
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			keel_logf("netdev: recv failed: %ld", n);
			if (n != KEEL_ETOOBIG) /* any other error repeats on every recv */
				return 1;
			continue;
		}
		r = keel_chan_reply(NET_HANDLE, rsp_buf, answer(dev, (size_t)n, &refused));
		if (r == KEEL_EPEERCLOSED)
			break;
		if (r < 0)
			keel_logf("netdev: reply failed: %ld", r);
		served++;
	}
	net_backend_report(counters, sizeof(counters));
	keel_logf("netdev: client gone after %lu requests (%lu refused); %s", served, refused,
	          counters);
	return 0;
}
