/*
 * Request checks, in a fixed order: framing and op (BLK_EINVAL), the
 * device's own state (BLK_ENODEV / BLK_EIO), count and range (BLK_ERANGE),
 * payload size (BLK_EINVAL), read-only (BLK_EROFS).
 */
#include "request.h"

#include <string.h>

/* block + count within `blocks`, without overflow. */
static int in_range(uint64_t block, uint32_t count, uint64_t blocks)
{
	return block < blocks && count <= blocks - block;
}

static int known_op(uint32_t op)
{
	return op == BLK_OP_INFO || op == BLK_OP_READ || op == BLK_OP_WRITE || op == BLK_OP_FLUSH;
}

int32_t blk_request_check(const uint8_t *msg, size_t n, const struct blk_dev *dev,
                          struct blk_checked *out)
{
	struct blk_req r;
	size_t want = sizeof(r);

	if (n < sizeof(r) || keel_msg_check(msg, n) != 0)
		return BLK_EINVAL;
	memcpy(&r, msg, sizeof(r));
	if (!known_op(r.hdr.op) || r.reserved != 0)
		return BLK_EINVAL;
	if (dev->status != BLK_OK)
		return dev->status;
	memset(out, 0, sizeof(*out));
	out->op = r.hdr.op;
	if (r.hdr.op == BLK_OP_INFO || r.hdr.op == BLK_OP_FLUSH)
		return n == want ? BLK_OK : BLK_EINVAL;
	if (r.count == 0 || r.count > BLK_MAX_BLOCKS || !in_range(r.block, r.count, dev->blocks))
		return BLK_ERANGE;
	if (r.hdr.op == BLK_OP_WRITE)
		want += (size_t)r.count * BLK_BLOCK;
	if (n != want)
		return BLK_EINVAL;
	if (r.hdr.op == BLK_OP_WRITE && (dev->flags & BLK_F_RO))
		return BLK_EROFS;
	out->block = r.block;
	out->count = r.count;
	out->data = msg + sizeof(r);
	return BLK_OK;
}
