/*
 * A store_dev over the block driver channel (apps/blkdev/blk_protocol.h):
 * READ and WRITE in chunks of BLK_MAX_BLOCKS, FLUSH, and INFO once at
 * start. Any failed call, bad status or misframed answer is STORAGED_EIO:
 * the format library then leaves the store as it was (store.h).
 */
#include <string.h>

#include <keel/syscall.h>

#include "../blkdev/blk_protocol.h"
#include "storaged.h"

/* One request or answer with data; storaged serves one request at a time. */
static uint8_t blk_buf[sizeof(struct blk_req) + BLK_MAX_BLOCKS * BLK_BLOCK];

/* A call whose answer must be a blk_rsp followed by exactly `data` bytes; the status or a KEEL_E*.
 */
static long blk_call(keel_handle_t h, size_t req_len, size_t data)
{
	struct blk_rsp rsp;
	long n = keel_chan_call(h, blk_buf, req_len, blk_buf, sizeof(blk_buf));
	if (n < 0)
		return n;
	if (keel_msg_check(blk_buf, (size_t)n) || (size_t)n < sizeof(rsp))
		return BLK_EINVAL;
	memcpy(&rsp, blk_buf, sizeof(rsp));
	if (rsp.status != BLK_OK)
		return rsp.status;
	return (size_t)n == sizeof(rsp) + data ? BLK_OK : BLK_EINVAL;
}

static void blk_req_header(uint32_t op, uint64_t block, uint32_t count, size_t data)
{
	struct blk_req req = {.hdr = {op, (uint32_t)(sizeof(req) - sizeof(req.hdr) + data)},
	                      .block = block,
	                      .count = count};
	memcpy(blk_buf, &req, sizeof(req));
}

int storaged_blk_info(keel_handle_t h, uint64_t *blocks, uint32_t *flags)
{
	struct blk_rsp rsp;
	blk_req_header(BLK_OP_INFO, 0, 0, 0);
	long r = blk_call(h, sizeof(struct blk_req), 0);
	if (r != BLK_OK)
		return (int)r;
	memcpy(&rsp, blk_buf, sizeof(rsp));
	*blocks = rsp.blocks;
	*flags = rsp.flags;
	return BLK_OK;
}

static int blk_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	keel_handle_t h = *(keel_handle_t *)ctx;
	uint8_t *out = buf;
	while (count) {
		uint32_t n = count < BLK_MAX_BLOCKS ? count : BLK_MAX_BLOCKS;
		blk_req_header(BLK_OP_READ, block, n, 0);
		if (blk_call(h, sizeof(struct blk_req), (size_t)n * BLK_BLOCK) != BLK_OK)
			return STORAGED_EIO;
		memcpy(out, blk_buf + sizeof(struct blk_rsp), (size_t)n * BLK_BLOCK);
		out += (size_t)n * BLK_BLOCK;
		block += n;
		count -= n;
	}
	return STORAGED_OK;
}

static int blk_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	keel_handle_t h = *(keel_handle_t *)ctx;
	const uint8_t *in = buf;
	while (count) {
		uint32_t n = count < BLK_MAX_BLOCKS ? count : BLK_MAX_BLOCKS;
		size_t data = (size_t)n * BLK_BLOCK;
		blk_req_header(BLK_OP_WRITE, block, n, data);
		memcpy(blk_buf + sizeof(struct blk_req), in, data);
		if (blk_call(h, sizeof(struct blk_req) + data, 0) != BLK_OK)
			return STORAGED_EIO;
		in += data;
		block += n;
		count -= n;
	}
	return STORAGED_OK;
}

static int blk_flush(void *ctx)
{
	blk_req_header(BLK_OP_FLUSH, 0, 0, 0);
	return blk_call(*(keel_handle_t *)ctx, sizeof(struct blk_req), 0) == BLK_OK ? STORAGED_OK
	                                                                            : STORAGED_EIO;
}

void storaged_blk_dev(struct store_dev *dev, keel_handle_t *h, uint64_t blocks)
{
	*dev = (struct store_dev){
	    .ctx = h, .blocks = blocks, .read = blk_read, .write = blk_write, .flush = blk_flush};
}
