/*
 * One split virtqueue (VIRTIO 1.1 §2.6) in DMA memory. Chains of
 * descriptors come from a free list; several may be in flight
 * (virtq_add / virtq_next: apps/netdev's receive and send rings), or one
 * at a time (virtq_submit / virtq_reap: apps/blkdev, apps/consdev). The
 * device is not trusted: every used element it writes is checked against
 * what we posted, in our own bookkeeping, never in the shared descriptors.
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdint.h>

#define VIRTQ_SIZE 8u /* virtq_init's size: a virtio-blk request needs 3, a console buffer 1 */
#define VIRTQ_MAX 64u /* the most descriptors a struct virtq holds (virtq_init_n) */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "2.6.5");

/* The rings hold `num` entries (the queue size); used_event / avail_event sit at ring[num]. */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VIRTQ_MAX + 1];
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_MAX];
	uint16_t avail_event;
};

/* The queue's rings at the start of one DMA page, and our own record of what the device holds. */
struct virtq {
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t num;       /* queue size: a power of two, <= VIRTQ_MAX */
	uint16_t last_used; /* the used index we have consumed up to */
	uint16_t free_head; /* first free descriptor (num: none) */
	uint16_t nfree;
	uint16_t in_flight;           /* chains the device holds */
	uint16_t next[VIRTQ_MAX];     /* our copy of each descriptor's link (free list, chains) */
	uint8_t chain_len[VIRTQ_MAX]; /* by head: descriptors in the chain; 0: not in flight */
	uint32_t chain_writable[VIRTQ_MAX]; /* by head: bytes the device may write */
};

struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	int device_writes;
};

/* A queue of VIRTQ_SIZE descriptors in `page` (4 KiB of DMA memory at page_pa). */
void virtq_init(struct virtq *q, void *page, uint64_t page_pa);
/* The same with `num` descriptors: 0, or -1 if num is not a power of two in 1..VIRTQ_MAX. */
int virtq_init_n(struct virtq *q, void *page, uint64_t page_pa, unsigned num);
/*
 * Posts bufs[0..n) as one chain; the caller then notifies. The chain's
 * head id (what virtq_next reports when it comes back), or -1: fewer than
 * n free descriptors (n = 0 too).
 */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
/*
 * The next chain the device returned. 0: none yet. 1: *id = its head,
 * *len = the bytes the device says it wrote (at most the chain's
 * device-writable bytes); its descriptors are free again. -1: the used
 * ring is not what the chains in flight can produce (the index moved past
 * them, an id out of range or not a chain in flight, a length beyond the
 * chain's writable bytes): the device is broken or hostile; the caller
 * resets it and stops using it.
 */
int virtq_next(struct virtq *q, uint16_t *id, uint32_t *len);

/*
 * One chain at a time (blkdev, consdev): virtq_submit posts it
 * (n <= the free descriptors, as after virtq_reap), virtq_reap waits for
 * nothing: 0 not back yet, 1 back with *len as the device wrote it (the
 * caller checks it), -1 the used ring is not what one chain can produce.
 */
void virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
int virtq_reap(struct virtq *q, uint32_t *len);

#endif
