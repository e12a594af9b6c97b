/*
 * The virtio-mmio device under blkdev: discovery and the initialisation
 * sequence of VIRTIO 1.1 §3.1.1 (reset, ACKNOWLEDGE, DRIVER, features,
 * FEATURES_OK, queue, DRIVER_OK), its interrupt, notify and reset.
 */
#ifndef BLKDEV_VIRTIO_DEV_H
#define BLKDEV_VIRTIO_DEV_H

#include <stdint.h>

#include "backend.h"
#include "virtq.h"

struct virtio_dev {
	volatile uint32_t *regs;
	uint64_t features; /* negotiated */
	long irq;          /* interrupt handle, or < 0: none, poll */
	unsigned long requests, interrupts, polls;
};

/* Maps device 0, checks it is a version 2 virtio-blk, negotiates features
 * and reads its size into dev. 0, or -1 (logged; the device marked FAILED). */
int virtio_dev_open(struct virtio_dev *vd, struct blk_dev *dev);
/* Queue 0 = q, DRIVER_OK, bind the interrupt. 0 or -1 (logged, FAILED). */
int virtio_dev_start(struct virtio_dev *vd, struct virtq *q);
void virtio_dev_notify(struct virtio_dev *vd);
/* Sleeps until the device interrupts or `timeout_ns` passes; acks it. */
void virtio_dev_wait(struct virtio_dev *vd, uint64_t timeout_ns);
int virtio_dev_needs_reset(struct virtio_dev *vd);
void virtio_dev_reset(struct virtio_dev *vd);
void virtio_dev_fail(struct virtio_dev *vd);

#endif
