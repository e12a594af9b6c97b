/*
 * The hosted backend: a file, $KEEL_STATE_DIR/storage.img (or
 * $KEEL_BLK_IMAGE), created sparse at 8 MiB when absent. Its size must be a
 * whole number of blocks. FLUSH is fdatasync. Optional power-cut injection
 * (fault.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "fault.h"
#include <keel/syscall.h>

#define BLK_FILE_NAME "storage.img"
#define BLK_FILE_NEW_SIZE (8u << 20)

static int fd = -1;
static struct blk_fault fault;
static uint64_t blocks_written;
static unsigned long flushes;

/* The whole of [buf, buf+len) at `off`, or -1 (an error or a short transfer). */
static int full_pread(void *buf, size_t len, off_t off)
{
	uint8_t *p = buf;
	while (len) {
		ssize_t r = pread(fd, p, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r, len -= (size_t)r, off += r;
	}
	return 0;
}

static int full_pwrite(const void *buf, size_t len, off_t off)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t r = pwrite(fd, p, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r, len -= (size_t)r, off += r;
	}
	return 0;
}

static int image_path(char *path, size_t cap)
{
	const char *img = getenv("KEEL_BLK_IMAGE");
	const char *dir = getenv("KEEL_STATE_DIR");
	int n;

	if (img && *img)
		n = snprintf(path, cap, "%s", img);
	else if (dir && *dir)
		n = snprintf(path, cap, "%s/%s", dir, BLK_FILE_NAME);
	else
		return -1;
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Opens (creating sparse when absent) and sizes the image; fills dev. */
static void open_image(const char *path, struct blk_dev *dev)
{
	struct stat st;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 && ftruncate(fd, BLK_FILE_NEW_SIZE) != 0) {
		keel_logf("blkdev: %s: cannot size the new image: %s", path, strerror(errno));
		return;
	}
	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EROFS)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		dev->flags |= BLK_F_RO;
	}
	if (fd < 0 || fstat(fd, &st) != 0) {
		keel_logf("blkdev: %s: %s; every request fails", path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size % BLK_BLOCK != 0) {
		keel_logf("blkdev: %s: size %lld is not a positive multiple of %u bytes; every "
		        "request fails",
		        path, (long long)st.st_size, BLK_BLOCK);
		return;
	}
	dev->blocks = (uint64_t)st.st_size / BLK_BLOCK;
	dev->status = BLK_OK;
	keel_logf("blkdev: file %s, %llu bytes (%llu blocks)%s", path, (unsigned long long)st.st_size,
	        (unsigned long long)dev->blocks, dev->flags & BLK_F_RO ? ", read-only" : "");
}

void blk_backend_open(struct blk_dev *dev)
{
	char path[4096];
	const char *err = "";

	memset(dev, 0, sizeof(*dev));
	dev->status = BLK_EIO;
	dev->flags = BLK_F_FLUSH;
	if (blk_fault_parse(getenv("KEEL_BLK_FAULT"), &fault, &err) != 0) {
		keel_logf("blkdev: KEEL_BLK_FAULT: %s; every request fails", err);
		return;
	}
	if (image_path(path, sizeof(path)) != 0) {
		keel_logf("blkdev: no KEEL_STATE_DIR or KEEL_BLK_IMAGE: no device");
		dev->status = BLK_ENODEV;
		return;
	}
	open_image(path, dev);
	if (fault.armed)
		keel_logf("blkdev: fault injection: power cut after %llu block writes, tear %u bytes",
		        (unsigned long long)fault.after, fault.tear);
}

int32_t blk_backend_read(uint64_t block, uint32_t count, void *buf)
{
	return full_pread(buf, (size_t)count * BLK_BLOCK, (off_t)(block * BLK_BLOCK)) ? BLK_EIO
	                                                                              : BLK_OK;
}

/* The power cut: the torn part of this block, then gone without a reply. */
static _Noreturn void power_cut(uint64_t block, const uint8_t *data)
{
	keel_logf("blkdev: fault injection: power cut at block %llu after %llu block writes (%u "
	        "bytes torn in)",
	        (unsigned long long)block, (unsigned long long)blocks_written, fault.tear);
	if (fault.tear && full_pwrite(data, fault.tear, (off_t)(block * BLK_BLOCK)))
		keel_logf("blkdev: fault injection: the torn write failed");
	_exit(BLK_FAULT_EXIT);
}

int32_t blk_backend_write(uint64_t block, uint32_t count, const void *buf)
{
	const uint8_t *data = buf;
	uint32_t whole = count;

	if (fault.armed && fault.after - blocks_written < count)
		whole = (uint32_t)(fault.after - blocks_written);
	if (whole && full_pwrite(data, (size_t)whole * BLK_BLOCK, (off_t)(block * BLK_BLOCK)))
		return BLK_EIO;
	blocks_written += whole;
	if (whole < count)
		power_cut(block + whole, data + (size_t)whole * BLK_BLOCK);
	return BLK_OK;
}

int32_t blk_backend_flush(void)
{
	flushes++;
	return fdatasync(fd) == 0 ? BLK_OK : BLK_EIO;
}

void blk_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap, "%llu blocks written, %lu flushes", (unsigned long long)blocks_written,
	         flushes);
}
