/* The fault-injecting in-memory device of the store's tests (faultdev.h). */
#include <stdlib.h>
#include <string.h>

#include "faultdev.h"

static uint8_t *blk(struct faultdev *f, uint64_t b)
{
	return f->disk + b * STORE_BLOCK;
}

static void drop_pending(struct faultdev *f)
{
	for (size_t i = 0; i < f->npending; i++)
		free(f->pending[i].data);
	f->npending = 0;
}

static void apply_pending(struct faultdev *f)
{
	for (size_t i = 0; i < f->npending; i++)
		memcpy(blk(f, f->pending[i].block), f->pending[i].data, STORE_BLOCK);
	drop_pending(f);
}

static int fd_read(void *ctx, uint64_t block, uint32_t count, void *buf)
{
	struct faultdev *f = ctx;

	if (block > f->blocks || count > f->blocks - block)
		return STORAGED_EIO;
	for (uint32_t c = 0; c < count; c++) {
		const uint8_t *src = blk(f, block + c);

		/* the newest cached copy is what a read sees */
		for (size_t i = 0; i < f->npending; i++)
			if (f->pending[i].block == block + c)
				src = f->pending[i].data;
		memcpy((uint8_t *)buf + (size_t)c * STORE_BLOCK, src, STORE_BLOCK);
	}
	return 0;
}

static void put(struct faultdev *f, uint64_t b, const uint8_t *data, size_t len)
{
	if (!f->cache) {
		memcpy(blk(f, b), data, len);
		return;
	}
	if (f->npending == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->pending = realloc(f->pending, f->cap * sizeof(*f->pending));
	}
	f->pending[f->npending].block = b;
	f->pending[f->npending].data = malloc(STORE_BLOCK);
	memcpy(f->pending[f->npending].data, blk(f, b), STORE_BLOCK);
	for (size_t i = 0; i < f->npending; i++) /* a torn write tears the newest copy */
		if (f->pending[i].block == b)
			memcpy(f->pending[f->npending].data, f->pending[i].data, STORE_BLOCK);
	memcpy(f->pending[f->npending].data, data, len);
	f->npending++;
}

static int fd_write(void *ctx, uint64_t block, uint32_t count, const void *buf)
{
	struct faultdev *f = ctx;

	if (block > f->blocks || count > f->blocks - block)
		return STORAGED_EIO;
	for (uint32_t c = 0; c < count; c++) {
		const uint8_t *src = (const uint8_t *)buf + (size_t)c * STORE_BLOCK;

		if (f->dead)
			return STORAGED_EIO;
		if (f->cut_after >= 0 && f->writes == f->cut_after) {
			uint8_t cur[STORE_BLOCK];

			/* a tear whose missing bytes already matched is a whole write */
			fd_read(f, block + c, 1, cur);
			f->torn_complete = f->tear && memcmp(cur + f->tear, src + f->tear,
			                                     STORE_BLOCK - f->tear) == 0;
			if (f->tear)
				put(f, block + c, src, f->tear);
			fd_cut(f);
			return STORAGED_EIO;
		}
		put(f, block + c, src, STORE_BLOCK);
		f->writes++;
	}
	return 0;
}

static int fd_flush(void *ctx)
{
	struct faultdev *f = ctx;

	if (f->dead)
		return STORAGED_EIO;
	if (f->cut_flush >= 0 && f->flushes == f->cut_flush) {
		fd_cut(f);
		return STORAGED_EIO;
	}
	f->flushes++;
	apply_pending(f);
	return 0;
}

void fd_cut(struct faultdev *f)
{
	unsigned s = f->seed;

	/* a random subset of the cache lands, in a random order */
	for (size_t i = f->npending; i > 1; i--) {
		size_t j = (size_t)rand_r(&s) % i;
		struct fd_pending t = f->pending[i - 1];

		f->pending[i - 1] = f->pending[j];
		f->pending[j] = t;
	}
	for (size_t i = 0; i < f->npending; i++)
		if (rand_r(&s) & 1)
			memcpy(blk(f, f->pending[i].block), f->pending[i].data, STORE_BLOCK);
	drop_pending(f);
	f->dead = 1;
}

void fd_init(struct faultdev *f, uint64_t blocks)
{
	memset(f, 0, sizeof(*f));
	f->blocks = blocks;
	f->disk = calloc(blocks, STORE_BLOCK);
	f->cut_after = -1;
	f->cut_flush = -1;
	f->dev.ctx = f;
	f->dev.blocks = blocks;
	f->dev.read = fd_read;
	f->dev.write = fd_write;
	f->dev.flush = fd_flush;
}

void fd_free(struct faultdev *f)
{
	drop_pending(f);
	free(f->pending);
	free(f->disk);
	memset(f, 0, sizeof(*f));
}

void fd_load(struct faultdev *f, const uint8_t *img)
{
	drop_pending(f);
	memcpy(f->disk, img, f->blocks * STORE_BLOCK);
	f->cut_after = -1;
	f->cut_flush = -1;
	f->dead = 0;
	f->writes = 0;
	f->cache = 0;
}

void fd_arm(struct faultdev *f, long after, size_t tear, int cache, unsigned seed)
{
	f->cut_after = after;
	f->cut_flush = -1;
	f->writes = 0;
	f->torn_complete = 0;
	f->tear = tear;
	f->cache = cache;
	f->seed = seed;
}

void fd_arm_flush(struct faultdev *f, long after, int cache, unsigned seed)
{
	f->cut_after = -1;
	f->cut_flush = after;
	f->flushes = 0;
	f->cache = cache;
	f->seed = seed;
}
