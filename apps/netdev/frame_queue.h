/*
 * The frames received from the device that wait for the client (booted
 * netdev): a bounded FIFO of copies, so the receive buffers go back to the
 * device at once and frames arriving back to back are not stalled in the
 * device while the client is busy. Full: the newest frame is dropped (a
 * wire's tail drop; TCP retransmits) and counted.
 */
#ifndef NETDEV_FRAME_QUEUE_H
#define NETDEV_FRAME_QUEUE_H

#include <stdint.h>

#include "net_protocol.h"

#define FRAME_QUEUE_FRAMES 32u

struct frame_queue {
	uint8_t frame[FRAME_QUEUE_FRAMES][NET_FRAME_MAX];
	uint16_t len[FRAME_QUEUE_FRAMES];
	unsigned head, count;
	unsigned long dropped; /* full when they came */
};

/* Copies frame[0..n) (n <= NET_FRAME_MAX) in: 0, or -1 when full (dropped, counted). */
int frame_queue_push(struct frame_queue *q, const uint8_t *frame, uint32_t n);
/* The oldest frame into out (at most max bytes): its length, 0 when empty. */
uint32_t frame_queue_pop(struct frame_queue *q, void *out, uint32_t max);

#endif
