/*
 * A virtio-mmio device driven from ring 3 (shared by apps/blkdev,
 * apps/consdev and apps/netdev): discovery and
 * the initialisation sequence of VIRTIO 1.1 §3.1.1 (reset, ACKNOWLEDGE,
 * DRIVER, features, FEATURES_OK, queues, DRIVER_OK), its interrupt as a
 * notification handle, notify and reset. The device-type parts (which
 * features, what the config space holds) stay with each driver.
 */
#ifndef VIRTIO_VIRTIO_DEV_H
#define VIRTIO_VIRTIO_DEV_H

#include <stdint.h>

#include "virtq.h"

struct virtio_dev {
	volatile uint32_t *regs;
	const char *task; /* log lines start "TASK: TYPE: ", e.g. "blkdev: virtio-blk: " */
	const char *type;
	uint64_t features; /* negotiated */
	long irq;          /* interrupt handle, or < 0: none, poll */
	unsigned long requests, interrupts, polls;
};

/*
 * Maps the task's device 0, checks it is a version 2 virtio-mmio device of
 * type `device_id` (task and type are set by the caller first), resets it and
 * negotiates offered ∩ `wanted` (VIRTIO_F_VERSION_1 required). Leaves the
 * device in FEATURES_OK: the caller reads its config, then sets its queues.
 * 0, or -1 (logged; FAILED set when the device was ours to fail).
 */
int virtio_dev_open(struct virtio_dev *vd, uint32_t device_id, uint64_t wanted);
/* Queue `index` = q (q->num descriptors). 0 or -1 (logged, FAILED). */
int virtio_dev_queue(struct virtio_dev *vd, uint32_t index, struct virtq *q);
/* Binds the interrupt (none: polling, logged), DRIVER_OK. 0 or -1 (logged, FAILED). */
int virtio_dev_start(struct virtio_dev *vd);
uint32_t virtio_dev_config32(struct virtio_dev *vd, uint32_t off);
/* A 64-bit config field, consistent under ConfigGeneration (§4.2.2). */
uint64_t virtio_dev_config64(struct virtio_dev *vd, uint32_t off);
void virtio_dev_notify(struct virtio_dev *vd, uint32_t queue);
/* Sleeps until the device interrupts or `timeout_ns` passes; acks it. */
void virtio_dev_wait(struct virtio_dev *vd, uint64_t timeout_ns);
int virtio_dev_needs_reset(struct virtio_dev *vd);
void virtio_dev_reset(struct virtio_dev *vd);
void virtio_dev_fail(struct virtio_dev *vd);
/* Logs "TASK: TYPE: why", sets FAILED, returns -1. */
int virtio_dev_refuse(struct virtio_dev *vd, const char *why);
/* "TASK: TYPE: " + printf, one keel_log line. */
void virtio_log(struct virtio_dev *vd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
