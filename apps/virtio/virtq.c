#include "virtq.h"

#include <stddef.h>
#include <string.h>

/* Layout in the page: the rings need 16, 2 and 4-byte alignment (2.6). */
#define VIRTQ_AVAIL_OFF 0x400u
#define VIRTQ_USED_OFF 0x800u
_Static_assert(VIRTQ_MAX * sizeof(struct virtq_desc) <= VIRTQ_AVAIL_OFF, "desc fits");
_Static_assert(sizeof(struct virtq_avail) <= VIRTQ_USED_OFF - VIRTQ_AVAIL_OFF, "avail fits");
_Static_assert(VIRTQ_USED_OFF + sizeof(struct virtq_used) <= 0xc00, "used fits below 0xc00");
_Static_assert(VIRTQ_MAX <= 255, "chain_len holds a chain of every descriptor");

int virtq_init_n(struct virtq *q, void *page, uint64_t page_pa, unsigned num)
{
	uint8_t *p = page;
	if (num == 0 || num > VIRTQ_MAX || (num & (num - 1)))
		return -1;
	memset(page, 0, 0xc00);
	memset(q, 0, sizeof(*q));
	q->desc = (volatile struct virtq_desc *)p;
	q->avail = (volatile struct virtq_avail *)(p + VIRTQ_AVAIL_OFF);
	q->used = (volatile struct virtq_used *)(p + VIRTQ_USED_OFF);
	q->desc_pa = page_pa;
	q->avail_pa = page_pa + VIRTQ_AVAIL_OFF;
	q->used_pa = page_pa + VIRTQ_USED_OFF;
	q->num = (uint16_t)num;
	/* Free list 0, 1, ..., num - 1: a lone chain always starts at 0, as before the list. */
	for (unsigned i = 0; i < num; i++)
		q->next[i] = (uint16_t)(i + 1);
	q->free_head = 0;
	q->nfree = (uint16_t)num;
	return 0;
}

void virtq_init(struct virtq *q, void *page, uint64_t page_pa)
{
	(void)virtq_init_n(q, page, page_pa, VIRTQ_SIZE); /* VIRTQ_SIZE is a valid size */
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	uint16_t head = q->free_head, d = head, idx = q->avail->idx;
	uint32_t writable = 0;
	if (n == 0 || n > q->nfree)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		q->desc[d].addr = bufs[i].pa;
		q->desc[d].len = bufs[i].len;
		q->desc[d].flags = (uint16_t)((i + 1 < n ? VIRTQ_DESC_F_NEXT : 0) |
		                              (bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0));
		q->desc[d].next = (uint16_t)(i + 1 < n ? q->next[d] : 0);
		if (bufs[i].device_writes)
			writable += bufs[i].len;
		if (i + 1 < n)
			d = q->next[d];
	}
	q->free_head = q->next[d]; /* the chain keeps its links in q->next; d is its tail */
	q->nfree = (uint16_t)(q->nfree - n);
	q->chain_len[head] = (uint8_t)n;
	q->chain_writable[head] = writable;
	q->in_flight++;
	q->avail->ring[idx % q->num] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* descriptors before the index (2.6.13) */
	q->avail->idx = (uint16_t)(idx + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the index before the notify */
	return head;
}

/* Returns the chain at `head` to the free list, in its order (so a lone chain reuses 0, 1, ...). */
static void chain_free(struct virtq *q, uint16_t head)
{
	uint16_t tail = head;
	for (unsigned i = 1; i < q->chain_len[head]; i++)
		tail = q->next[tail];
	q->next[tail] = q->free_head;
	q->free_head = head;
	q->nfree = (uint16_t)(q->nfree + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->in_flight--;
}

/*
 * The next used element, checked against our records except for its
 * length: 0 none, 1 (*id, *len), -1 the device broke a rule.
 */
static int take(struct virtq *q, uint16_t *id, uint32_t *len)
{
	uint16_t idx = q->used->idx;
	uint32_t e_id, e_len;
	if (idx == q->last_used)
		return 0;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the element after the index */
	if ((uint16_t)(idx - q->last_used) > q->in_flight)
		return -1; /* more back than we posted */
	e_id = q->used->ring[q->last_used % q->num].id;
	e_len = q->used->ring[q->last_used % q->num].len;
	q->last_used++;
	if (e_id >= q->num || q->chain_len[e_id] == 0)
		return -1; /* not the head of a chain in flight */
	chain_free(q, (uint16_t)e_id);
	*id = (uint16_t)e_id;
	*len = e_len;
	return 1;
}

int virtq_next(struct virtq *q, uint16_t *id, uint32_t *len)
{
	uint32_t writable;
	uint16_t head = 0;
	int r;
	r = take(q, &head, len);
	if (r <= 0)
		return r;
	writable = q->chain_writable[head]; /* kept after chain_free */
	if (*len > writable)
		return -1;
	*id = head;
	return 1;
}

void virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n)
{
	(void)virtq_add(q, bufs, n); /* one chain at a time: its descriptors are free */
}

int virtq_reap(struct virtq *q, uint32_t *len)
{
	uint16_t id;
	return take(q, &id, len);
}
