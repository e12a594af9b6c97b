/*
 * The block driver's backend interface: one device, 4096-byte blocks.
 * Exactly one backend is linked: a file hosted (backend_file.c), virtio-blk
 * over virtio-mmio booted (backend_virtio.c). Every call returns a BLK_*
 * status; the serve loop (serve.c) has already checked the range.
 */
#ifndef BLKDEV_BACKEND_H
#define BLKDEV_BACKEND_H

#include <stdint.h>

#include "blk_protocol.h"

struct blk_dev {
	int32_t status;  /* BLK_OK, or what every request answers (BLK_ENODEV, BLK_EIO) */
	uint32_t flags;  /* BLK_F_* */
	uint64_t blocks; /* device size in BLK_BLOCK blocks */
};

/* Finds and sets up the device; logs what it found. Never fails: a missing
 * or broken device is recorded in dev->status. */
void blk_backend_open(struct blk_dev *dev);

int32_t blk_backend_read(uint64_t block, uint32_t count, void *buf);
int32_t blk_backend_write(uint64_t block, uint32_t count, const void *buf);
int32_t blk_backend_flush(void);

/* One line of counters for the log at exit (e.g. interrupts taken). */
void blk_backend_report(char *line, unsigned long cap);

#endif
