/* Placeholder until the virtio-blk backend lands: no device. */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "log.h"

void blk_backend_open(struct blk_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->status = BLK_ENODEV;
	blk_log("blkdev: no device");
}

int32_t blk_backend_read(uint64_t block, uint32_t count, void *buf)
{
	(void)block, (void)count, (void)buf;
	return BLK_ENODEV;
}

int32_t blk_backend_write(uint64_t block, uint32_t count, const void *buf)
{
	(void)block, (void)count, (void)buf;
	return BLK_ENODEV;
}

int32_t blk_backend_flush(void)
{
	return BLK_ENODEV;
}

void blk_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap, "no device");
}
