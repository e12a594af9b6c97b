/*
 * The booted backend: virtio-blk over virtio-mmio version 2 (VIRTIO 1.1
 * §4.2, §5.2), the task's first device= grant. One request at a time;
 * completion by the device's interrupt (keel_irq_bind / keel_wait /
 * keel_irq_ack), never by spinning. The device is not trusted: the used
 * ring, the status byte and the time it takes are all checked, and a
 * device that breaks the rules is never used again (every request BLK_EIO).
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include <keel/syscall.h>
#include "../virtio/virtio_dev.h"
#include "../virtio/virtio_mmio.h"
#include "../virtio/virtq.h"
#include "virtio_blk.h"

#define REQ_TIMEOUT_NS 5000000000ull

/* What we drive: anything else offered is declined (§2.2, §5.2.3). */
#define WANTED_FEATURES                                                                            \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_ACCESS_PLATFORM) |                       \
	 (1ull << VIRTIO_BLK_F_RO) | (1ull << VIRTIO_BLK_F_BLK_SIZE) |                             \
	 (1ull << VIRTIO_BLK_F_FLUSH))

/* DMA layout: page 0 the rings, then header and status; the data after. */
#define DMA_HDR_OFF 0xc00u
#define DMA_STATUS_OFF 0xe00u
#define DMA_DATA_OFF 0x1000u
#define DMA_SIZE (DMA_DATA_OFF + BLK_MAX_BLOCKS * BLK_BLOCK)

static struct virtio_dev vd = {.task = "blkdev", .type = "virtio-blk"};
static struct virtq vq;
static uint8_t *dma;
static uint64_t dma_pa;
static int broken; /* the device broke a rule: every request fails from now on */

/* Ends the device's use of our memory after it broke a rule (reset, 4.2.3.1). */
static int32_t give_up(const char *why)
{
	keel_logf("blkdev: virtio-blk: %s; the device is not used again", why);
	virtio_dev_reset(&vd);
	broken = 1;
	return BLK_EIO;
}

/* Waits for our one chain to come back; *len what the device says it wrote. */
static int32_t complete(uint32_t *len)
{
	uint64_t deadline = (uint64_t)keel_time(KEEL_CLOCK_MONOTONIC) + REQ_TIMEOUT_NS;
	for (;;) {
		int r = virtq_reap(&vq, len);
		int64_t now;
		if (r > 0)
			return BLK_OK;
		if (r < 0)
			return give_up("used ring names a chain we did not post");
		if (virtio_dev_needs_reset(&vd))
			return give_up("the device needs a reset (DEVICE_NEEDS_RESET)");
		now = keel_time(KEEL_CLOCK_MONOTONIC);
		if (now < 0 || (uint64_t)now >= deadline)
			return give_up("no completion within 5 s");
		virtio_dev_wait(&vd, deadline - (uint64_t)now);
	}
}

/* One virtio-blk request: header, optional data, status byte (5.2.6). */
static int32_t request(uint32_t type, uint64_t block, uint32_t count, int device_writes)
{
	struct virtio_blk_req_hdr hdr = {type, 0, block * (BLK_BLOCK / VIRTIO_BLK_SECTOR)};
	volatile uint8_t *status = dma + DMA_STATUS_OFF;
	struct virtq_buf bufs[3];
	uint32_t data = count * BLK_BLOCK, len = 0, want;
	unsigned n = 0;
	uint8_t st;

	if (broken)
		return BLK_EIO;
	memcpy(dma + DMA_HDR_OFF, &hdr, sizeof(hdr));
	*status = 0xff; /* no valid status: a device that does not write it fails the check */
	bufs[n++] = (struct virtq_buf){dma_pa + DMA_HDR_OFF, sizeof(hdr), 0};
	if (data)
		bufs[n++] = (struct virtq_buf){dma_pa + DMA_DATA_OFF, data, device_writes};
	bufs[n++] = (struct virtq_buf){dma_pa + DMA_STATUS_OFF, 1, 1};
	virtq_submit(&vq, bufs, n);
	virtio_dev_notify(&vd, 0);
	if (complete(&len) != BLK_OK)
		return BLK_EIO;
	want = (device_writes ? data : 0) + 1; /* every byte it may write, all or nothing */
	st = *status;
	if (len != want) {
		keel_logf("blkdev: virtio-blk: used length %u, want %u: failed", len, want);
		return BLK_EIO;
	}
	if (st == VIRTIO_BLK_S_OK)
		return BLK_OK;
	keel_logf("blkdev: virtio-blk: request type %u block %llu: status %s", type,
	        (unsigned long long)block,
	        st == VIRTIO_BLK_S_IOERR    ? "IOERR"
	        : st == VIRTIO_BLK_S_UNSUPP ? "UNSUPP"
	                                    : "invalid");
	return BLK_EIO;
}

/* Size and flags from the config space (§5.2.4). */
static int read_config(struct blk_dev *dev)
{
	uint64_t sectors = virtio_dev_config64(&vd, VIRTIO_BLK_CFG_CAPACITY);
	if (vd.features & (1ull << VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = virtio_dev_config32(&vd, VIRTIO_BLK_CFG_BLK_SIZE);
		if (bs < VIRTIO_BLK_SECTOR || bs > BLK_BLOCK || (bs & (bs - 1)))
			return virtio_dev_refuse(
			    &vd, "block size not a power of two between 512 and 4096");
	}
	dev->blocks = sectors / (BLK_BLOCK / VIRTIO_BLK_SECTOR);
	if (!dev->blocks)
		return virtio_dev_refuse(&vd, "capacity below one 4096-byte block");
	if (vd.features & (1ull << VIRTIO_BLK_F_FLUSH))
		dev->flags |= BLK_F_FLUSH;
	if (vd.features & (1ull << VIRTIO_BLK_F_RO))
		dev->flags |= BLK_F_RO;
	return 0;
}

void blk_backend_open(struct blk_dev *dev)
{
	long err = 0;
	memset(dev, 0, sizeof(*dev));
	dev->status = BLK_ENODEV;
	if (virtio_dev_open(&vd, VIRTIO_ID_BLOCK, WANTED_FEATURES) != 0 || read_config(dev) != 0)
		return;
	dma = keel_dma_alloc(DMA_SIZE, &dma_pa, &err);
	if (!dma) {
		keel_logf("blkdev: virtio-blk: no DMA memory (%ld)", err);
		virtio_dev_fail(&vd);
		return;
	}
	virtq_init(&vq, dma, dma_pa);
	if (virtio_dev_queue(&vd, 0, &vq) != 0 || virtio_dev_start(&vd) != 0)
		return;
	dev->status = BLK_OK;
	keel_logf("blkdev: virtio-blk: %llu blocks of %u bytes%s%s, completions by %s",
	        (unsigned long long)dev->blocks, BLK_BLOCK,
	        dev->flags & BLK_F_FLUSH ? ", write cache (FLUSH)" : "",
	        dev->flags & BLK_F_RO ? ", read-only" : "",
	        vd.irq >= 0 ? "interrupt" : "polling (no interrupt)");
}

int32_t blk_backend_read(uint64_t block, uint32_t count, void *buf)
{
	int32_t s = request(VIRTIO_BLK_T_IN, block, count, 1);
	if (s == BLK_OK)
		memcpy(buf, dma + DMA_DATA_OFF, (size_t)count * BLK_BLOCK);
	return s;
}

int32_t blk_backend_write(uint64_t block, uint32_t count, const void *buf)
{
	memcpy(dma + DMA_DATA_OFF, buf, (size_t)count * BLK_BLOCK);
	return request(VIRTIO_BLK_T_OUT, block, count, 0);
}

int32_t blk_backend_flush(void)
{
	if (!(vd.features & (1ull << VIRTIO_BLK_F_FLUSH)))
		return BLK_OK; /* no volatile cache to flush (5.2.6.2) */
	return request(VIRTIO_BLK_T_FLUSH, 0, 0, 0);
}

void blk_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap, "virtio-blk: %lu requests, %lu interrupts, %lu polls", vd.requests,
	         vd.interrupts, vd.polls);
}
