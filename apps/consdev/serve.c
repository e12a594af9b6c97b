/*
 * consdev: the byte-stream driver task. Serves stream_protocol.h on handle
 * slot 1 until the client goes away: receive, check (request.c), do it on
 * the backend, reply. README.md describes it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include "request.h"
#include "reset_line.h"
#include "stream_protocol.h"

#define STREAM_HANDLE ((keel_handle_t)1)

_Static_assert(sizeof(STREAM_RESET_LINE) == sizeof(RESET_LINE), "one reset line");

/* Any message the kernel can carry: an oversized one is checked (EINVAL), not lost. */
static uint8_t req_buf[KEEL_MSG_MAX];
static uint8_t rsp_buf[sizeof(struct stream_rsp) + STREAM_CHUNK_MAX];

static int32_t perform(const struct stream_checked *c, int32_t dev, uint32_t *count)
{
	*count = 0;
	if (dev != STREAM_OK)
		return dev;
	switch (c->op) {
	case STREAM_OP_WRITE: {
		int32_t s = stream_backend_write(c->data, c->count);
		if (s == STREAM_OK)
			*count = c->count;
		return s;
	}
	case STREAM_OP_READ:
		return stream_backend_read(rsp_buf + sizeof(struct stream_rsp), c->max,
		                           c->timeout_ms, count);
	default:
		return stream_backend_reset(c->timeout_ms);
	}
}

/* Answers the request in req_buf[0..n); returns the reply length. */
static size_t answer(int32_t dev, size_t n, unsigned long *refused)
{
	struct stream_checked c;
	uint32_t count = 0;
	int32_t status = stream_request_check(req_buf, n, &c);

	if (status == STREAM_OK)
		status = perform(&c, dev, &count);
	else
		++*refused;
	return stream_reply(rsp_buf, req_buf, n, &c, status, count);
}

int main(void)
{
	unsigned long served = 0, refused = 0;
	char counters[200];
	int32_t dev = stream_backend_open();

	for (;;) {
		long n = keel_chan_recv(STREAM_HANDLE, req_buf, sizeof(req_buf));
		long r;
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			keel_logf("consdev: recv failed: %ld", n);
			if (n != KEEL_ETOOBIG) /* any other error repeats on every recv */
				return 1;
			continue;
		}
		r = keel_chan_reply(STREAM_HANDLE, rsp_buf, answer(dev, (size_t)n, &refused));
		if (r == KEEL_EPEERCLOSED)
			break;
		if (r < 0)
			keel_logf("consdev: reply failed: %ld", r);
		served++;
	}
	stream_backend_report(counters, sizeof(counters));
	keel_logf("consdev: client gone after %lu requests (%lu refused); %s", served, refused, counters);
	return 0;
}
