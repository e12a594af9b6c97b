/*
 * The virtio-blk numbers blkdev uses (VIRTIO 1.1 §5.2): device ID,
 * feature bits, configuration offsets, requests.
 */
#ifndef BLKDEV_VIRTIO_BLK_H
#define BLKDEV_VIRTIO_BLK_H

#include <stdint.h>

#define VIRTIO_ID_BLOCK 2u

/* Feature bits (§5.2.3) */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

/* virtio-blk configuration (§5.2.4): offsets into the config space */
#define VIRTIO_BLK_CFG_CAPACITY 0x00 /* le64, 512-byte sectors */
#define VIRTIO_BLK_CFG_BLK_SIZE 0x14 /* le32 */

/* Requests (§5.2.6) */
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_S_UNSUPP 2u
#define VIRTIO_BLK_SECTOR 512u

struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};
_Static_assert(sizeof(struct virtio_blk_req_hdr) == 16, "virtio-blk request header (5.2.6)");

#endif
