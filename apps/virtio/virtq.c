#include "virtq.h"

#include <stddef.h>
#include <string.h>

/* Layout in the page: the rings need 16, 2 and 4-byte alignment (2.6). */
#define VIRTQ_AVAIL_OFF 0x400u
#define VIRTQ_USED_OFF 0x800u
_Static_assert(VIRTQ_SIZE * sizeof(struct virtq_desc) <= VIRTQ_AVAIL_OFF, "desc fits");
_Static_assert(sizeof(struct virtq_avail) <= VIRTQ_USED_OFF - VIRTQ_AVAIL_OFF, "avail fits");
_Static_assert(VIRTQ_USED_OFF + sizeof(struct virtq_used) <= 0xc00, "used fits below 0xc00");

void virtq_init(struct virtq *q, void *page, uint64_t page_pa)
{
	uint8_t *p = page;
	memset(page, 0, 0xc00);
	q->desc = (volatile struct virtq_desc *)p;
	q->avail = (volatile struct virtq_avail *)(p + VIRTQ_AVAIL_OFF);
	q->used = (volatile struct virtq_used *)(p + VIRTQ_USED_OFF);
	q->desc_pa = page_pa;
	q->avail_pa = page_pa + VIRTQ_AVAIL_OFF;
	q->used_pa = page_pa + VIRTQ_USED_OFF;
	q->last_used = 0;
}

void virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	uint16_t idx = q->avail->idx;
	for (unsigned i = 0; i < n; i++) {
		q->desc[i].addr = bufs[i].pa;
		q->desc[i].len = bufs[i].len;
		q->desc[i].flags = (uint16_t)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
		                              (bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0));
		q->desc[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
	}
	q->avail->ring[idx % VIRTQ_SIZE] = 0;    /* the chain's head */
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* descriptors before the index (2.6.13) */
	q->avail->idx = (uint16_t)(idx + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the index before the notify */
}

int virtq_reap(struct virtq *q, uint32_t *len)
{
	uint16_t idx = q->used->idx;
	struct virtq_used_elem e;
	if (idx == q->last_used)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the element after the index */
	if ((uint16_t)(idx - q->last_used) != 1)
		return -1;
	e.id = q->used->ring[q->last_used % VIRTQ_SIZE].id;
	e.len = q->used->ring[q->last_used % VIRTQ_SIZE].len;
	q->last_used = idx;
	if (e.id != 0)
		return -1;
	*len = e.len;
	return 1;
}
