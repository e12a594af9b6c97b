/* An in-memory store_dev: storaged's volatile mode, the tests and the bench. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct ramdev {
	uint64_t blocks;
	uint8_t *mem;
};

static int ram_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct ramdev *r = ctx;

	if (block > r->blocks || count > r->blocks - block)
		return STORAGED_EIO;
	memcpy(buf, r->mem + block * STORE_BLOCK, (size_t)count * STORE_BLOCK);
	return 0;
}

static int ram_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct ramdev *r = ctx;

	if (block > r->blocks || count > r->blocks - block)
		return STORAGED_EIO;
	memcpy(r->mem + block * STORE_BLOCK, buf, (size_t)count * STORE_BLOCK);
	return 0;
}

static int ram_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

int store_ramdev_init(struct store_dev *dev, uint64_t blocks)
{
	struct ramdev *r = calloc(1, sizeof(*r));

	memset(dev, 0, sizeof(*dev));
	if (!r || blocks > STORE_BLOCKS_MAX ||
	    !(r->mem = calloc(blocks ? blocks : 1, STORE_BLOCK))) {
		free(r);
		return STORAGED_ENOMEM;
	}
	r->blocks = blocks;
	dev->ctx = r;
	dev->blocks = blocks;
	dev->read = ram_read;
	dev->write = ram_write;
	dev->flush = ram_flush;
	return STORAGED_OK;
}

void store_ramdev_free(struct store_dev *dev)
{
	struct ramdev *r = dev->ctx;

	if (r) {
		explicit_bzero(r->mem, r->blocks * STORE_BLOCK);
		free(r->mem);
		free(r);
	}
	memset(dev, 0, sizeof(*dev));
}
