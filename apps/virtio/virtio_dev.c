#include "virtio_dev.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "virtio_mmio.h"

static uint32_t rd(struct virtio_dev *vd, uint32_t off)
{
	return vmmio_rd(vd->regs, off);
}

static void wr(struct virtio_dev *vd, uint32_t off, uint32_t v)
{
	vmmio_wr(vd->regs, off, v);
}

void virtio_log(struct virtio_dev *vd, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s: %s: ", vd->task, vd->type);
	va_start(ap, fmt);
	keel_vlogf(prefix, fmt, ap);
	va_end(ap);
}

static void add_status(struct virtio_dev *vd, uint32_t bits)
{
	wr(vd, VIRTIO_MMIO_STATUS, rd(vd, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_dev_fail(struct virtio_dev *vd)
{
	add_status(vd, VIRTIO_STATUS_FAILED);
}

void virtio_dev_reset(struct virtio_dev *vd)
{
	wr(vd, VIRTIO_MMIO_STATUS, 0);
}

int virtio_dev_needs_reset(struct virtio_dev *vd)
{
	return (rd(vd, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET) != 0;
}

int virtio_dev_refuse(struct virtio_dev *vd, const char *why)
{
	virtio_log(vd, "%s", why);
	virtio_dev_fail(vd);
	return -1;
}

uint32_t virtio_dev_config32(struct virtio_dev *vd, uint32_t off)
{
	return rd(vd, VIRTIO_MMIO_CONFIG + off);
}

uint64_t virtio_dev_config64(struct virtio_dev *vd, uint32_t off)
{
	uint32_t gen, lo, hi;
	do {
		gen = rd(vd, VIRTIO_MMIO_CONFIG_GENERATION);
		lo = rd(vd, VIRTIO_MMIO_CONFIG + off);
		hi = rd(vd, VIRTIO_MMIO_CONFIG + off + 4);
	} while (gen != rd(vd, VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

/* Steps 4-6 of §3.1.1: offer ∩ wanted, FEATURES_OK, and the device kept it. */
static int negotiate(struct virtio_dev *vd, uint64_t wanted)
{
	uint64_t offered;
	wr(vd, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	offered = rd(vd, VIRTIO_MMIO_DEVICE_FEATURES);
	wr(vd, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	offered |= (uint64_t)rd(vd, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	if (!(offered & (1ull << VIRTIO_F_VERSION_1)))
		return virtio_dev_refuse(vd, "the device does not offer VIRTIO_F_VERSION_1");
	vd->features = offered & wanted;
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)vd->features);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(vd, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(vd->features >> 32));
	add_status(vd, VIRTIO_STATUS_FEATURES_OK);
	if (!(rd(vd, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return virtio_dev_refuse(
		    vd, "the device did not accept our features (FEATURES_OK cleared)");
	return 0;
}

int virtio_dev_open(struct virtio_dev *vd, uint32_t device_id, uint64_t wanted)
{
	long err = 0;
	uint32_t version;
	vd->irq = -1;
	vd->regs = keel_mmio_map(0, 0, VIRTIO_MMIO_WINDOW, &err);
	if (!vd->regs) {
		char line[128];
		snprintf(line, sizeof(line), "%s: no %s device (keel_mmio_map: %ld): no device",
		         vd->task, vd->type, err);
		keel_log(line, strlen(line));
		return -1;
	}
	if (rd(vd, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC ||
	    rd(vd, VIRTIO_MMIO_DEVICE_ID) != device_id) {
		char line[128];
		snprintf(line, sizeof(line), "%s: device 0 is not a %s device: no device", vd->task,
		         vd->type);
		keel_log(line, strlen(line));
		return -1;
	}
	version = rd(vd, VIRTIO_MMIO_VERSION);
	if (version != 2) {
		virtio_log(
		    vd,
		    "virtio-mmio version %u not supported (only 2, modern; QEMU: "
		    "-global virtio-mmio.force-legacy=false, as keel-qemu passes): no device",
		    version);
		return -1;
	}
	virtio_dev_reset(vd);
	for (int i = 0; rd(vd, VIRTIO_MMIO_STATUS) != 0;
	     i++) { /* reset done when it reads 0 (4.2.3.1) */
		if (i == 1000)
			return virtio_dev_refuse(vd, "the device does not finish its reset");
		keel_yield();
	}
	add_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
	add_status(vd, VIRTIO_STATUS_DRIVER);
	return negotiate(vd, wanted);
}

int virtio_dev_queue(struct virtio_dev *vd, uint32_t index, struct virtq *q)
{
	uint32_t max;
	wr(vd, VIRTIO_MMIO_QUEUE_SEL, index);
	if (rd(vd, VIRTIO_MMIO_QUEUE_READY) != 0)
		return virtio_dev_refuse(vd, "a queue is already in use after reset");
	max = rd(vd, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (max < q->num) {
		virtio_log(vd, "a queue is smaller than %u descriptors (or absent)", q->num);
		virtio_dev_fail(vd);
		return -1;
	}
	wr(vd, VIRTIO_MMIO_QUEUE_NUM, q->num);
	wr(vd, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)q->desc_pa);
	wr(vd, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(q->desc_pa >> 32));
	wr(vd, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)q->avail_pa);
	wr(vd, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail_pa >> 32));
	wr(vd, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)q->used_pa);
	wr(vd, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(q->used_pa >> 32));
	wr(vd, VIRTIO_MMIO_QUEUE_READY, 1);
	return 0;
}

int virtio_dev_start(struct virtio_dev *vd)
{
	vd->irq = keel_irq_bind(0);
	if (vd->irq < 0)
		virtio_log(vd, "no interrupt (keel_irq_bind: %ld): polling", vd->irq);
	add_status(vd, VIRTIO_STATUS_DRIVER_OK);
	if (rd(vd, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return virtio_dev_refuse(vd, "the device needs a reset right after DRIVER_OK");
	return 0;
}

void virtio_dev_notify(struct virtio_dev *vd, uint32_t queue)
{
	vd->requests++;
	wr(vd, VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

void virtio_dev_wait(struct virtio_dev *vd, uint64_t timeout_ns)
{
	keel_handle_t h;
	uint32_t why;
	if (vd->irq < 0) { /* no interrupt on this machine: give the CPU away and look again */
		vd->polls++;
		keel_yield();
		return;
	}
	h = (keel_handle_t)vd->irq;
	if (keel_wait(&h, 1, timeout_ns) != 0)
		return; /* timed out: the caller's deadline decides */
	vd->interrupts++;
	why = rd(vd, VIRTIO_MMIO_INTERRUPT_STATUS);
	wr(vd, VIRTIO_MMIO_INTERRUPT_ACK, why); /* the line drops before we unmask it */
	keel_irq_ack(h);
}
