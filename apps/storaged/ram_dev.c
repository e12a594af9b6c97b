/*
 * A store_dev in memory: storaged's volatile fallback when there is no
 * block device (nothing survives the task), and the device of the fuzz
 * target and the unit tests.
 */
#include <stdlib.h>
#include <string.h>

#include "storaged.h"

struct ram_dev {
	uint8_t *mem;
	uint64_t blocks;
};

static int ram_range_ok(const struct ram_dev *r, uint64_t block, uint32_t count)
{
	return block <= r->blocks && count <= r->blocks - block;
}

static int ram_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct ram_dev *r = ctx;
	if (!ram_range_ok(r, block, count))
		return STORAGED_EIO;
	memcpy(buf, r->mem + block * STORE_BLOCK, (size_t)count * STORE_BLOCK);
	return STORAGED_OK;
}

static int ram_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct ram_dev *r = ctx;
	if (!ram_range_ok(r, block, count))
		return STORAGED_EIO;
	memcpy(r->mem + block * STORE_BLOCK, buf, (size_t)count * STORE_BLOCK);
	return STORAGED_OK;
}

static int ram_flush(void *ctx)
{
	(void)ctx;
	return STORAGED_OK;
}

int storaged_ram_dev(struct store_dev *dev, uint64_t blocks)
{
	struct ram_dev *r = calloc(1, sizeof(*r));
	if (!r)
		return STORAGED_ENOMEM;
	r->mem = calloc((size_t)blocks, STORE_BLOCK); /* zeroed: a blank device */
	if (!r->mem) {
		free(r);
		return STORAGED_ENOMEM;
	}
	r->blocks = blocks;
	*dev = (struct store_dev){ .ctx = r, .blocks = blocks, .read = ram_read,
				   .write = ram_write, .flush = ram_flush };
	return STORAGED_OK;
}

void storaged_ram_dev_free(struct store_dev *dev)
{
	struct ram_dev *r = dev->ctx;
	if (r) {
		explicit_bzero(r->mem, (size_t)r->blocks * STORE_BLOCK);
		free(r->mem);
		free(r);
	}
	dev->ctx = NULL;
}
