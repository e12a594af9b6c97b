/*
 * Checking one block request (blk_protocol.h) before anything is done:
 * the framing, the op, the reserved field, the count and the block range.
 */
#ifndef BLKDEV_REQUEST_H
#define BLKDEV_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

struct blk_checked {
	uint32_t op;
	uint64_t block;
	uint32_t count;      /* 0 for INFO and FLUSH */
	const uint8_t *data; /* WRITE: count * BLK_BLOCK bytes */
};

/* BLK_OK and *out filled, or the status to answer. `msg`/`n` is the
 * request as received; `dev` the device it is for. */
int32_t blk_request_check(const uint8_t *msg, size_t n, const struct blk_dev *dev,
                          struct blk_checked *out);

#endif
