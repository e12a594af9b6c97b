/*
 * The booted backend: virtio-net over virtio-mmio version 2 (VIRTIO 1.1
 * §4.2, §5.1), one queue pair, no offloads (no checksum, GSO or mergeable
 * buffers: every frame is one buffer of at most NET_FRAME_MAX bytes after
 * its 12-byte virtio_net_hdr). receiveq1 always has one buffer posted
 * unless a received frame waits in `pending` for the client; transmitq1
 * sends one frame at a time. Waiting is on the device's interrupt
 * (keel_irq_bind / keel_wait / keel_irq_ack). The device and the host
 * behind it are not trusted: used ids and lengths are checked, and a
 * device that breaks a rule is reset and never used again (NET_EIO).
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../virtio/virtio_dev.h"
#include "../virtio/virtio_mmio.h"
#include "../virtio/virtq.h"
#include "backend.h"
#include "net_protocol.h"
#include "virtio_net.h"

#define TX_TIMEOUT_NS 5000000000ull
#define WANTED_FEATURES                                                                            \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_ACCESS_PLATFORM) |                       \
	 (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_MTU) | (1ull << VIRTIO_NET_F_STATUS))
#define HDR ((uint32_t)sizeof(struct virtio_net_hdr))
#define BUF (HDR + NET_FRAME_MAX)
#define MTU_MIN 68u /* IPv4's minimum (RFC 791) */

/* DMA: the two queues' rings (a page each), the receive and send buffers. */
#define DMA_RXQ_OFF 0x0000u
#define DMA_TXQ_OFF 0x1000u
#define DMA_RX_OFF 0x2000u
#define DMA_TX_OFF 0x3000u
#define DMA_SIZE 0x4000u
_Static_assert(BUF <= 0x1000u, "a frame buffer fits its page");

/* Without VIRTIO_NET_F_MAC the driver picks one (§5.1.5): locally administered "KEEL". */
static const uint8_t default_mac[6] = {0x02, 0x4b, 0x45, 0x45, 0x4c, 0x00};

static struct virtio_dev vd = {.task = "netdev", .type = "virtio-net"};
static struct virtq rxq, txq;
static uint8_t *dma;
static uint64_t dma_pa;
static int broken;    /* the device broke a rule: every request fails from now on */
static int rx_posted; /* our one receive buffer is the device's */
static uint8_t pending[NET_FRAME_MAX];
static uint32_t pending_len; /* 0: none */
static uint8_t mac[6];
static uint16_t mtu;
static unsigned long frames_in, frames_out, dropped;

static int32_t give_up(const char *why)
{
	virtio_log(&vd, "%s; the device is not used again", why);
	virtio_dev_reset(&vd);
	broken = 1;
	return NET_EIO;
}

static void post_rx(void)
{
	struct virtq_buf b = {dma_pa + DMA_RX_OFF, BUF, 1};
	virtq_submit(&rxq, &b, 1);
	rx_posted = 1;
	virtio_dev_notify(&vd, VIRTIO_NET_RX_QUEUE);
}

/*
 * Takes a frame the device returned on receiveq1 into `pending` (when it
 * is free) and posts the buffer again. NET_OK or NET_EIO.
 */
static int32_t pump_rx(void)
{
	uint32_t len = 0;
	int r;
	if (rx_posted && pending_len == 0) {
		r = virtq_reap(&rxq, &len);
		if (r < 0)
			return give_up("receiveq: used ring names a buffer we did not post");
		if (r > 0) {
			if (len > BUF)
				return give_up("receiveq: used length beyond the buffer");
			rx_posted = 0;
			if (len < HDR + NET_FRAME_MIN) {
				dropped++; /* shorter than an Ethernet header: nothing to hand on */
			} else {
				memcpy(pending, dma + DMA_RX_OFF + HDR, len - HDR);
				pending_len = len - HDR;
				frames_in++;
			}
		}
	}
	if (!rx_posted)
		post_rx();
	if (virtio_dev_needs_reset(&vd))
		return give_up("the device needs a reset (DEVICE_NEEDS_RESET)");
	return NET_OK;
}

static uint64_t now_ns(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t;
}

/* MAC, link status and MTU from the config space, consistent under ConfigGeneration. */
static void read_config(uint32_t *link)
{
	uint32_t gen, w0, w1, w2;
	do {
		gen = vmmio_rd(vd.regs, VIRTIO_MMIO_CONFIG_GENERATION);
		w0 = virtio_dev_config32(&vd, VIRTIO_NET_CFG_MAC);
		w1 = virtio_dev_config32(&vd, VIRTIO_NET_CFG_MAC + 4);
		w2 = virtio_dev_config32(&vd, 8);
	} while (gen != vmmio_rd(vd.regs, VIRTIO_MMIO_CONFIG_GENERATION));
	memcpy(mac, default_mac, sizeof(mac));
	if (vd.features & (1ull << VIRTIO_NET_F_MAC)) {
		memcpy(mac, &w0, 4);
		memcpy(mac + 4, &w1, 2);
	}
	*link = VIRTIO_NET_S_LINK_UP; /* without VIRTIO_NET_F_STATUS the link is up (5.1.4) */
	if (vd.features & (1ull << VIRTIO_NET_F_STATUS))
		*link = (w1 >> 16) & VIRTIO_NET_S_LINK_UP;
	mtu = NET_MTU_DEFAULT;
	if ((vd.features & (1ull << VIRTIO_NET_F_MTU)) && (w2 >> 16) < NET_MTU_DEFAULT)
		mtu = (uint16_t)(w2 >> 16);
}

int32_t net_backend_open(void)
{
	long err = 0;
	uint32_t link = 0;
	if (virtio_dev_open(&vd, VIRTIO_ID_NET, WANTED_FEATURES) != 0)
		return NET_ENODEV;
	read_config(&link);
	if (mtu < MTU_MIN) {
		virtio_dev_refuse(&vd, "the device's MTU is below 68");
		return NET_ENODEV;
	}
	dma = keel_dma_alloc(DMA_SIZE, &dma_pa, &err);
	if (!dma) {
		virtio_log(&vd, "no DMA memory (%ld)", err);
		virtio_dev_fail(&vd);
		return NET_ENODEV;
	}
	memset(dma + DMA_TX_OFF, 0, HDR); /* no offloads: the send header stays all zero */
	virtq_init(&rxq, dma + DMA_RXQ_OFF, dma_pa + DMA_RXQ_OFF);
	virtq_init(&txq, dma + DMA_TXQ_OFF, dma_pa + DMA_TXQ_OFF);
	if (virtio_dev_queue(&vd, VIRTIO_NET_RX_QUEUE, &rxq) != 0 ||
	    virtio_dev_queue(&vd, VIRTIO_NET_TX_QUEUE, &txq) != 0 || virtio_dev_start(&vd) != 0)
		return NET_ENODEV;
	post_rx();
	virtio_log(&vd, "mac %02x:%02x:%02x:%02x:%02x:%02x%s, mtu %u, link %s, waits by %s", mac[0],
	           mac[1], mac[2], mac[3], mac[4], mac[5],
	           vd.features & (1ull << VIRTIO_NET_F_MAC) ? "" : " (ours: no VIRTIO_NET_F_MAC)",
	           mtu, link ? "up" : "down", vd.irq >= 0 ? "interrupt" : "polling (no interrupt)");
	return NET_OK;
}

int32_t net_backend_send(const void *frame, uint32_t n)
{
	struct virtq_buf b = {dma_pa + DMA_TX_OFF, HDR + n, 0};
	uint64_t deadline = now_ns() + TX_TIMEOUT_NS;
	if (broken)
		return NET_EIO;
	memcpy(dma + DMA_TX_OFF + HDR, frame, n);
	virtq_submit(&txq, &b, 1);
	virtio_dev_notify(&vd, VIRTIO_NET_TX_QUEUE);
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
			frames_out++;
			return NET_OK;
		}
		if (pump_rx() != NET_OK) /* input keeps flowing while we wait */
			return NET_EIO;
		now = now_ns();
		if (now >= deadline)
			return give_up("transmitq: no completion within 5 s");
		virtio_dev_wait(&vd, deadline - now);
	}
}

int32_t net_backend_recv(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	*got = 0;
	for (;;) {
		uint64_t now;
		if (broken || pump_rx() != NET_OK)
			return NET_EIO;
		if (pending_len) {
			uint32_t n = pending_len < max ? pending_len : max;
			memcpy(buf, pending, n);
			pending_len = 0;
			*got = n;
			return pump_rx(); /* the next frame, if any, moves up */
		}
		now = now_ns();
		if (now >= deadline)
			return NET_ETIMEDOUT;
		virtio_dev_wait(&vd, deadline - now);
	}
}

int32_t net_backend_info(uint8_t out_mac[6], uint16_t *out_mtu)
{
	memcpy(out_mac, mac, sizeof(mac));
	*out_mtu = mtu;
	return broken ? NET_EIO : NET_OK;
}

void net_backend_report(char *line, unsigned long cap)
{
	snprintf(
	    line, cap,
	    "virtio-net: %lu notifies, %lu interrupts, %lu polls, %lu frames in, %lu frames out, "
	    "%lu dropped",
	    vd.requests, vd.interrupts, vd.polls, frames_in, frames_out, dropped);
}
