/*
 * blkdev: the block device driver task. Serves blk_protocol.h on handle
 * slot 1 until the client goes away: receive, check every field
 * (request.c), do it on the backend, reply. README.md describes it.
 */
#include <stdint.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include <keel/syscall.h>
#include "request.h"

#define BLK_HANDLE ((keel_handle_t)1)

static uint8_t req_buf[KEEL_MSG_MAX];
static uint8_t rsp_buf[sizeof(struct blk_rsp) + BLK_MAX_BLOCKS * BLK_BLOCK];

/* Does the checked request; returns the status, fills READ data after the header. */
static int32_t perform(const struct blk_checked *c)
{
	switch (c->op) {
	case BLK_OP_READ:
		return blk_backend_read(c->block, c->count, rsp_buf + sizeof(struct blk_rsp));
	case BLK_OP_WRITE:
		return blk_backend_write(c->block, c->count, c->data);
	case BLK_OP_FLUSH:
		return blk_backend_flush();
	default:
		return BLK_OK; /* INFO: the answer is dev's fields */
	}
}

/* Answers the request in req_buf[0..n); returns the reply length. */
static size_t answer(const struct blk_dev *dev, size_t n, unsigned long *refused)
{
	struct blk_checked c;
	struct blk_rsp rsp;
	size_t data = 0;
	int32_t status = blk_request_check(req_buf, n, dev, &c);

	if (status == BLK_OK)
		status = perform(&c);
	else
		++*refused;
	if (status == BLK_OK && c.op == BLK_OP_READ)
		data = (size_t)c.count * BLK_BLOCK;
	memset(&rsp, 0, sizeof(rsp));
	/* Echo the op (when there is one) so the client can match its answer. */
	rsp.hdr.op =
	    n >= sizeof(struct keel_msg) ? ((const struct keel_msg *)req_buf)->op : KEEL_OP_ERROR;
	rsp.hdr.len = (uint32_t)(sizeof(rsp) - sizeof(rsp.hdr) + data);
	rsp.status = status;
	if (status == BLK_OK) {
		rsp.flags = dev->flags;
		rsp.blocks = dev->blocks;
	}
	memcpy(rsp_buf, &rsp, sizeof(rsp));
	return sizeof(rsp) + data;
}

int main(void)
{
	struct blk_dev dev;
	unsigned long served = 0, refused = 0;
	char counters[160];

	blk_backend_open(&dev);
	for (;;) {
		long n = keel_chan_recv(BLK_HANDLE, req_buf, sizeof(req_buf));
		long r;
		if (n == KEEL_EPEERCLOSED)
			break;
		if (n < 0) {
			keel_logf("recv failed: %ld", n);
			if (n != KEEL_ETOOBIG) /* any other error repeats on every recv */
				return 1;
			continue;
		}
		r = keel_chan_reply(BLK_HANDLE, rsp_buf, answer(&dev, (size_t)n, &refused));
		if (r == KEEL_EPEERCLOSED)
			break;
		if (r < 0)
			keel_logf("reply failed: %ld", r);
		served++;
	}
	blk_backend_report(counters, sizeof(counters));
	keel_logf("client gone after %lu requests (%lu refused); %s", served, refused, counters);
	return 0;
}
