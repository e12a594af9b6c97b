/*
 * One split virtqueue (VIRTIO 1.1 §2.6) in DMA memory, used for one
 * request at a time: a chain of descriptors from index 0, then a wait for
 * exactly one used element. The device is not trusted: what it writes in
 * the used ring is checked (virtq_reap).
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdint.h>

#define VIRTQ_SIZE 8u /* descriptors: a virtio-blk request needs 3, a console buffer 1 */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "2.6.5");

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VIRTQ_SIZE];
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
	uint16_t avail_event;
};

/* The queue's rings at the start of one DMA page (phys = its physical address). */
struct virtq {
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t last_used;
};

struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	int device_writes;
};

void virtq_init(struct virtq *q, void *page, uint64_t page_pa);
/* Posts bufs[0..n) as one chain (n <= VIRTQ_SIZE). The caller then notifies. */
void virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n);
/*
 * 0: the device has not answered yet. 1: our chain is back, *len = the
 * bytes it says it wrote. -1: the used ring is not what one outstanding
 * chain can produce (the index moved by more than one, or the element
 * names another chain): the device is broken or hostile.
 */
int virtq_reap(struct virtq *q, uint32_t *len);

#endif
