/*
 * The block protocol: storaged (the client) and the block device driver
 * task (apps/blkdev/) over one channel. Booted the driver is virtio-blk
 * over virtio-mmio; hosted it is a file. Blocks are 4096 bytes whatever
 * the device's sector size. Every message starts with struct keel_msg
 * (keel/msg.h); op is one of BLK_OP_*.
 *
 *   BLK_OP_INFO   req: struct blk_req (block, count ignored)
 *                 rsp: struct blk_rsp (blocks = device size in blocks, flags)
 *   BLK_OP_READ   req: struct blk_req
 *                 rsp: struct blk_rsp + count * BLK_BLOCK bytes (only if status 0)
 *   BLK_OP_WRITE  req: struct blk_req + count * BLK_BLOCK bytes
 *                 rsp: struct blk_rsp
 *   BLK_OP_FLUSH  req: struct blk_req (block, count ignored)
 *                 rsp: struct blk_rsp; status 0 means everything written
 *                 before is on stable storage (a device without a volatile
 *                 cache answers 0 at once)
 *
 * A request is all or nothing from the client's point of view: a short,
 * failed or out-of-range transfer is an error status, never a partial
 * success. The driver checks every request (op, framing, range, count).
 */
#ifndef BLK_PROTOCOL_H
#define BLK_PROTOCOL_H

#include <stdint.h>

#include <keel/msg.h>

#define BLK_BLOCK 4096u
#define BLK_MAX_BLOCKS 15u /* per READ/WRITE: 15 * 4096 + headers fits one message */

#define BLK_OP_INFO (KEEL_OP_SERVICE_BASE + 0)
#define BLK_OP_READ (KEEL_OP_SERVICE_BASE + 1)
#define BLK_OP_WRITE (KEEL_OP_SERVICE_BASE + 2)
#define BLK_OP_FLUSH (KEEL_OP_SERVICE_BASE + 3)

/* blk_rsp.status */
#define BLK_OK 0
#define BLK_EIO (-1)     /* the device failed or returned short */
#define BLK_ERANGE (-2)  /* block/count beyond the device, or count 0 / > BLK_MAX_BLOCKS */
#define BLK_EINVAL (-3)  /* malformed request */
#define BLK_ENODEV (-4)  /* no device: the manifest's device is absent on this machine */
#define BLK_EROFS (-5)   /* the device is read-only */

/* blk_rsp.flags (INFO) */
#define BLK_F_FLUSH 1u    /* the device has a volatile cache and honours FLUSH */
#define BLK_F_RO 2u       /* read-only */

struct blk_req {
	struct keel_msg hdr;
	uint64_t block;
	uint32_t count;
	uint32_t reserved; /* 0 */
};

struct blk_rsp {
	struct keel_msg hdr;
	int32_t status;
	uint32_t flags;
	uint64_t blocks;
};

_Static_assert(sizeof(struct blk_req) == 24, "blk_req layout");
_Static_assert(sizeof(struct blk_rsp) == 24, "blk_rsp layout");
_Static_assert(sizeof(struct blk_req) + BLK_MAX_BLOCKS * BLK_BLOCK <= KEEL_MSG_MAX, "fits a message");

#endif
