#include "frame_queue.h"

#include <string.h>

int frame_queue_push(struct frame_queue *q, const uint8_t *frame, uint32_t n)
{
	unsigned at;
	if (q->count == FRAME_QUEUE_FRAMES || n > NET_FRAME_MAX) {
		q->dropped++;
		return -1;
	}
	at = (q->head + q->count) % FRAME_QUEUE_FRAMES;
	memcpy(q->frame[at], frame, n); /* the client gets this copy, not the DMA buffer */
	q->len[at] = (uint16_t)n;
	q->count++;
	return 0;
}

uint32_t frame_queue_pop(struct frame_queue *q, void *out, uint32_t max)
{
	uint32_t n;
	if (q->count == 0)
		return 0;
	n = q->len[q->head] < max ? q->len[q->head] : max;
	memcpy(out, q->frame[q->head], n);
	q->head = (q->head + 1) % FRAME_QUEUE_FRAMES;
	q->count--;
	return n;
}
