/*
 * libFuzzer target for blkdev's request checks (apps/blkdev/request.c) and
 * its KEEL_BLK_FAULT parser (fault.c). Input: 16 bytes of device state
 * (blocks, flags, status selector), then the message. Checks the promises
 * the serve loop relies on: an accepted request has a known op, a count
 * 1..15 and a range inside the device (READ/WRITE), exactly the length its
 * op needs, WRITE data inside the message, and never on a read-only or
 * absent device.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../apps/blkdev/fault.h"
#include "../../../apps/blkdev/request.h"

static void check_request(const uint8_t *in, size_t size, const struct blk_dev *dev)
{
	struct blk_checked c;
	size_t want = sizeof(struct blk_req);
	if (blk_request_check(in, size, dev, &c) != BLK_OK)
		return;
	if (dev->status != BLK_OK)
		abort();
	if (c.op == BLK_OP_INFO || c.op == BLK_OP_FLUSH) {
		if (size != want)
			abort();
		return;
	}
	if (c.op != BLK_OP_READ && c.op != BLK_OP_WRITE)
		abort();
	if (c.count == 0 || c.count > BLK_MAX_BLOCKS || c.block >= dev->blocks ||
	    c.count > dev->blocks - c.block)
		abort();
	if (c.op == BLK_OP_WRITE) {
		if (dev->flags & BLK_F_RO)
			abort();
		want += (size_t)c.count * BLK_BLOCK;
		if (c.data != in + sizeof(struct blk_req))
			abort();
	}
	if (size != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int32_t statuses[4] = {BLK_OK, BLK_OK, BLK_EIO, BLK_ENODEV};
	struct blk_dev dev;
	struct blk_fault f;
	const char *err = "";
	uint8_t *in;
	char *spec;
	if (size < 16)
		return 0;
	memcpy(&dev.blocks, data, 8);
	dev.flags = data[8] & 3;
	dev.status = statuses[data[9] & 3];
	if (data[10] & 1)
		dev.blocks &= 0xffffff; /* small devices too, so ranges are hit */
	data += 16, size -= 16;
	/* copies, so ASan sees reads past the exact input */
	in = malloc(size ? size : 1);
	spec = malloc(size + 1);
	if (!in || !spec)
		abort();
	memcpy(in, data, size);
	check_request(in, size, &dev);
	memcpy(spec, data, size);
	spec[size] = 0;
	if (blk_fault_parse(spec, &f, &err) == 0 && spec[0] && (!f.armed || f.tear > BLK_BLOCK))
		abort();
	free(in);
	free(spec);
	return 0;
}
