/*
 * An in-memory store_dev for the store's tests that can lose power: after
 * a given number of block writes the next write is torn (only its first
 * bytes land) and everything after it is lost. In cache mode writes sit in
 * a volatile cache until FLUSH; at the cut a seeded random subset of the
 * cached writes lands, in random order (a disk's write cache).
 */
#ifndef FAULTDEV_H
#define FAULTDEV_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct faultdev {
	struct store_dev dev;
	uint64_t blocks;
	uint8_t *disk; /* what survives a power cut */
	int cache;     /* 1: writes are volatile until flushed */
	struct fd_pending {
		uint64_t block;
		uint8_t *data;
	} * pending;
	size_t npending, cap;
	long cut_after; /* writes that succeed before the cut; -1 = never */
	long cut_flush; /* flushes that succeed before the cut; -1 = never */
	long flushes;
	size_t tear; /* bytes of the cut write that land (0 = none) */
	unsigned seed;
	long writes;
	int dead;
	int torn_complete; /* the torn bytes happened to complete the write */
};

void fd_init(struct faultdev *f, uint64_t blocks);
void fd_free(struct faultdev *f);
/* Replaces the disk with `img` (blocks * 4096 bytes), drops the cache, clears faults. */
void fd_load(struct faultdev *f, const uint8_t *img);
/* Arms a cut: after `after` more writes, tear the next one to `tear` bytes. */
void fd_arm(struct faultdev *f, long after, size_t tear, int cache, unsigned seed);
/* Arms a cut at the flush after `after` more flushes (no torn write). */
void fd_arm_flush(struct faultdev *f, long after, int cache, unsigned seed);
/* Cuts power now (cached writes land as the seed says). */
void fd_cut(struct faultdev *f);

#endif
