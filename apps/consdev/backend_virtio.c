/*
 * The booted backend: virtio-console over virtio-mmio version 2 (VIRTIO
 * 1.1 §4.2, §5.3), port 0 without VIRTIO_CONSOLE_F_MULTIPORT: receiveq
 * (queue 0) always has one 4 KiB buffer posted, transmitq (queue 1) one
 * write at a time. Waiting is on the device's interrupt (keel_irq_bind /
 * keel_wait / keel_irq_ack). The device and the host behind it are not
 * trusted: used ring ids and lengths are checked, input is bounded, and a
 * device that breaks a rule is reset and never used again (STREAM_EIO).
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../virtio/virtio_dev.h"
#include "../virtio/virtio_mmio.h"
#include "../virtio/virtq.h"
#include "backend.h"
#include "reset_line.h"
#include "stream_protocol.h"
#include "virtio_console.h"

#define TX_TIMEOUT_NS 5000000000ull
#define RESET_DEFAULT_MS 5000u
#define WANTED_FEATURES ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_ACCESS_PLATFORM))

/* DMA: the two queues' rings (a page each), the receive and send buffers. */
#define DMA_RXQ_OFF 0x0000u
#define DMA_TXQ_OFF 0x1000u
#define DMA_RX_OFF 0x2000u
#define RX_BUF 4096u
#define DMA_TX_OFF 0x3000u
#define DMA_SIZE (DMA_TX_OFF + STREAM_CHUNK_MAX)

/* Input that arrived and was not read yet: room for a full READ plus one buffer. */
#define PENDING_MAX (STREAM_CHUNK_MAX + RX_BUF)

static struct virtio_dev vd = {.task = "consdev", .type = "virtio-console"};
static struct virtq rxq, txq;
static uint8_t *dma;
static uint64_t dma_pa;
static int broken;    /* the device broke a rule: every request fails from now on */
static int rx_posted; /* our one receive buffer is the device's */
static uint8_t pending[PENDING_MAX];
static uint32_t pending_len;
static unsigned long bytes_in, bytes_out, resets;

static int32_t give_up(const char *why)
{
	virtio_log(&vd, "%s; the device is not used again", why);
	virtio_dev_reset(&vd);
	broken = 1;
	return STREAM_EIO;
}

static void post_rx(void)
{
	struct virtq_buf b = {dma_pa + DMA_RX_OFF, RX_BUF, 1};
	virtq_submit(&rxq, &b, 1);
	rx_posted = 1;
	virtio_dev_notify(&vd, VIRTIO_CONSOLE_RX_QUEUE);
}

/*
 * Takes what the device returned on receiveq into `pending` and posts the
 * buffer again when there is room for a full one. STREAM_OK or STREAM_EIO.
 */
static int32_t pump_rx(void)
{
	uint32_t len = 0;
	int r;
	if (rx_posted) {
		r = virtq_reap(&rxq, &len);
		if (r < 0)
			return give_up("receiveq: used ring names a buffer we did not post");
		if (r > 0) {
			if (len > RX_BUF)
				return give_up("receiveq: used length beyond the buffer");
			rx_posted = 0;
			/* pending_len <= PENDING_MAX - RX_BUF while posted (below) */
			memcpy(pending + pending_len, dma + DMA_RX_OFF, len);
			pending_len += len;
			bytes_in += len;
		}
	}
	if (!rx_posted && pending_len <= PENDING_MAX - RX_BUF)
		post_rx();
	if (virtio_dev_needs_reset(&vd))
		return give_up("the device needs a reset (DEVICE_NEEDS_RESET)");
	return STREAM_OK;
}

static void consume(uint32_t n)
{
	memmove(pending, pending + n, pending_len - n);
	pending_len -= n;
}

static uint64_t now_ns(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t;
}

int32_t stream_backend_open(void)
{
	long err = 0;
	if (virtio_dev_open(&vd, VIRTIO_ID_CONSOLE, WANTED_FEATURES) != 0)
		return STREAM_ENODEV;
	dma = keel_dma_alloc(DMA_SIZE, &dma_pa, &err);
	if (!dma) {
		virtio_log(&vd, "no DMA memory (%ld)", err);
		virtio_dev_fail(&vd);
		return STREAM_ENODEV;
	}
	virtq_init(&rxq, dma + DMA_RXQ_OFF, dma_pa + DMA_RXQ_OFF);
	virtq_init(&txq, dma + DMA_TXQ_OFF, dma_pa + DMA_TXQ_OFF);
	if (virtio_dev_queue(&vd, VIRTIO_CONSOLE_RX_QUEUE, &rxq) != 0 ||
	    virtio_dev_queue(&vd, VIRTIO_CONSOLE_TX_QUEUE, &txq) != 0 || virtio_dev_start(&vd) != 0)
		return STREAM_ENODEV;
	post_rx();
	virtio_log(&vd, "port 0, receive buffer %u bytes, waits by %s", RX_BUF,
	           vd.irq >= 0 ? "interrupt" : "polling (no interrupt)");
	return STREAM_OK;
}

/* Sends n bytes already in the DMA send buffer and waits for the device. */
static int32_t transmit(uint32_t n)
{
	struct virtq_buf b = {dma_pa + DMA_TX_OFF, n, 0};
	uint64_t deadline = now_ns() + TX_TIMEOUT_NS;
	virtq_submit(&txq, &b, 1);
	virtio_dev_notify(&vd, VIRTIO_CONSOLE_TX_QUEUE);
	for (;;) {
		uint32_t len = 0;
		int r = virtq_reap(&txq, &len);
		uint64_t now;
		if (r < 0)
			return give_up("transmitq: used ring names a buffer we did not post");
		if (r > 0) {
			/* the device may write nothing into a send buffer (2.6.8) */
			if (len != 0)
				return give_up(
				    "transmitq: the device claims it wrote into a send buffer");
			bytes_out += n;
			return STREAM_OK;
		}
		if (pump_rx() != STREAM_OK) /* input keeps flowing while we wait */
			return STREAM_EIO;
		now = now_ns();
		if (now >= deadline)
			return give_up("transmitq: no completion within 5 s");
		virtio_dev_wait(&vd, deadline - now);
	}
}

int32_t stream_backend_write(const void *buf, uint32_t n)
{
	if (broken)
		return STREAM_EIO;
	memcpy(dma + DMA_TX_OFF, buf, n);
	return transmit(n);
}

int32_t stream_backend_read(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	*got = 0;
	for (;;) {
		uint64_t now;
		if (broken || pump_rx() != STREAM_OK)
			return STREAM_EIO;
		if (pending_len) {
			uint32_t n = pending_len < max ? pending_len : max;
			memcpy(buf, pending, n);
			consume(n);
			*got = n;
			pump_rx(); /* room again: the buffer goes back to the device */
			return STREAM_OK;
		}
		now = now_ns();
		if (now >= deadline)
			return STREAM_ETIMEDOUT;
		virtio_dev_wait(&vd, deadline - now);
	}
}

/* Drops pending input up to and including the relay's reset line; 1 once it was seen. */
static int drop_until_reset_line(struct reset_scan *scan)
{
	for (uint32_t i = 0; i < pending_len; i++) {
		size_t flush;
		int held;
		if (reset_scan_byte(scan, pending[i], &flush, &held)) {
			consume(i + 1);
			return 1;
		}
	}
	pending_len = 0;
	return 0;
}

int32_t stream_backend_reset(uint32_t timeout_ms)
{
	struct reset_scan scan = {0};
	uint64_t deadline;
	int32_t s;
	if (broken)
		return STREAM_EIO;
	if (timeout_ms == 0) /* the protocol's first text gave RESET no timeout: a default */
		timeout_ms = RESET_DEFAULT_MS;
	deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	pending_len = 0;
	memcpy(dma + DMA_TX_OFF, RESET_LINE, RESET_LINE_LEN);
	s = transmit(RESET_LINE_LEN);
	if (s != STREAM_OK)
		return s;
	resets++;
	for (;;) {
		uint64_t now;
		if (pump_rx() != STREAM_OK)
			return STREAM_EIO;
		if (drop_until_reset_line(&scan)) {
			pump_rx();
			return STREAM_OK;
		}
		now = now_ns();
		if (now >= deadline)
			return STREAM_ETIMEDOUT;
		virtio_dev_wait(&vd, deadline - now);
	}
}

void stream_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap,
	         "virtio-console: %lu notifies, %lu interrupts, %lu polls, %lu bytes in, %lu bytes "
	         "out, %lu resets",
	         vd.requests, vd.interrupts, vd.polls, bytes_in, bytes_out, resets);
}
