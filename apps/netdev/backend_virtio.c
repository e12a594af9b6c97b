/*
 * The booted backend: virtio-net over virtio-mmio version 2 (VIRTIO 1.1
 * §4.2, §5.1), one queue pair, no offloads (no checksum, GSO or mergeable
 * buffers: every frame is one buffer of at most NET_FRAME_MAX bytes after
 * its 12-byte virtio_net_hdr). receiveq1 has RX_BUFS buffers posted; each
 * frame the device returns is copied into the client's queue
 * (frame_queue.c) and its buffer posted again at once. transmitq1 has up
 * to TX_BUFS frames in flight: SEND returns once the device has the frame.
 * Waiting is on the device's interrupt (keel_irq_bind / keel_wait /
 * keel_irq_ack). The device and the host behind it are not trusted: used
 * ids and lengths are checked (virtq_next), and a device that breaks a
 * rule is reset and never used again (NET_EIO).
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../virtio/virtio_dev.h"
#include "../virtio/virtio_mmio.h"
#include "../virtio/virtq.h"
#include "backend.h"
#include "frame_queue.h"
#include "net_protocol.h"
#include "virtio_net.h"

#define TX_TIMEOUT_NS 5000000000ull
#define DROP_LOG_NS 1000000000ull /* a full client queue is logged at most once a second */
#define WANTED_FEATURES                                                                            \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_ACCESS_PLATFORM) |                       \
	 (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_MTU) | (1ull << VIRTIO_NET_F_STATUS))
#define HDR ((uint32_t)sizeof(struct virtio_net_hdr))
#define BUF (HDR + NET_FRAME_MAX)
#define MTU_MIN 68u /* IPv4's minimum (RFC 791) */
#define RX_BUFS 32u /* receive buffers posted: the queue size of receiveq1 */
#define TX_BUFS 8u  /* frames in flight on transmitq1: its queue size */

/* DMA: the two queues' rings (a page each), then the buffers, SLOT bytes apart. */
#define SLOT 0x600u
#define DMA_RXQ_OFF 0x0000u
#define DMA_TXQ_OFF 0x1000u
#define DMA_RX_OFF 0x2000u
#define DMA_TX_OFF (DMA_RX_OFF + RX_BUFS * SLOT)
#define DMA_SIZE (DMA_TX_OFF + TX_BUFS * SLOT)
_Static_assert(BUF <= SLOT, "a frame buffer fits its slot");
_Static_assert(RX_BUFS <= VIRTQ_MAX && TX_BUFS <= VIRTQ_MAX, "one descriptor per buffer");

/* Without VIRTIO_NET_F_MAC the driver picks one (§5.1.5): locally administered "KEEL". */
static const uint8_t default_mac[6] = {0x02, 0x4b, 0x45, 0x45, 0x4c, 0x00};

static struct virtio_dev vd = {.task = "netdev", .type = "virtio-net"};
static struct virtq rxq, txq;
static uint8_t *dma;
static uint64_t dma_pa;
static int broken;                 /* the device broke a rule: every request fails from now on */
static uint8_t rx_slot[VIRTQ_MAX]; /* by chain head: which receive buffer it is */
static uint8_t tx_slot[VIRTQ_MAX]; /* by chain head: which send buffer it is */
static uint8_t tx_free[TX_BUFS];   /* send buffers not in flight */
static unsigned tx_nfree;
static struct frame_queue waiting; /* received, not yet handed to the client */
static uint64_t drop_logged_ns;
static unsigned long drop_logged;
static uint8_t mac[6];
static uint16_t mtu;
static unsigned long frames_in, frames_out, short_frames;

static int32_t give_up(const char *why)
{
	virtio_log(&vd, "%s; the device is not used again", why);
	virtio_dev_reset(&vd);
	broken = 1;
	return NET_EIO;
}

static uint64_t now_ns(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t;
}

/* Posts receive buffer `slot` (the caller notifies). */
static void post_rx(unsigned slot)
{
	struct virtq_buf b = {dma_pa + DMA_RX_OFF + slot * SLOT, BUF, 1};
	int head = virtq_add(&rxq, &b, 1); /* never -1: a descriptor per buffer */
	if (head >= 0)
		rx_slot[head] = (uint8_t)slot;
}

static void log_drops(void)
{
	uint64_t now = now_ns();
	if (waiting.dropped == drop_logged || now - drop_logged_ns < DROP_LOG_NS)
		return;
	virtio_log(&vd, "client queue full (%u frames): %lu frames dropped so far",
	           FRAME_QUEUE_FRAMES, waiting.dropped);
	drop_logged = waiting.dropped;
	drop_logged_ns = now;
}

/*
 * Takes every frame the device returned on receiveq1 into the client's
 * queue and posts its buffer again; takes back every completed send
 * buffer. NET_OK or NET_EIO.
 */
static int32_t pump(void)
{
	uint16_t id = 0;
	uint32_t len = 0;
	int r = 0, reposted = 0;
	/* at most one lap of the ring per look: a device returning buffers as fast as we
	 * post them does not keep netdev here for ever */
	for (unsigned n = 0; n < RX_BUFS && (r = virtq_next(&rxq, &id, &len)) > 0; n++) {
		unsigned slot = rx_slot[id];
		if (len < HDR + NET_FRAME_MIN)
			short_frames++; /* shorter than an Ethernet header: nothing to hand on */
		else if (frame_queue_push(&waiting, dma + DMA_RX_OFF + slot * SLOT + HDR,
		                          len - HDR) == 0)
			frames_in++;
		post_rx(slot);
		reposted = 1;
	}
	if (r < 0)
		return give_up("receiveq: the used ring names a buffer we did not post, or a "
		               "length beyond it");
	if (reposted)
		virtio_dev_notify(&vd, VIRTIO_NET_RX_QUEUE);
	log_drops();
	/*
	 * len 0: the device may write nothing into a send buffer (2.6.8), virtq_next
	 * checked it; and each slot comes back once: virtq_next knows what is in flight.
	 */
	while ((r = virtq_next(&txq, &id, &len)) > 0)
		tx_free[tx_nfree++] = tx_slot[id];
	if (r < 0)
		return give_up("transmitq: the used ring names a buffer we did not post, or says "
		               "the device wrote into one");
	if (virtio_dev_needs_reset(&vd))
		return give_up("the device needs a reset (DEVICE_NEEDS_RESET)");
	return NET_OK;
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

/* The rings and buffers in DMA memory, every receive buffer posted. 0 or -1 (logged). */
static int setup_queues(void)
{
	long err = 0;
	dma = keel_dma_alloc(DMA_SIZE, &dma_pa, &err);
	if (!dma) {
		virtio_log(&vd, "no DMA memory (%ld)", err);
		virtio_dev_fail(&vd);
		return -1;
	}
	if (virtq_init_n(&rxq, dma + DMA_RXQ_OFF, dma_pa + DMA_RXQ_OFF, RX_BUFS) != 0 ||
	    virtq_init_n(&txq, dma + DMA_TXQ_OFF, dma_pa + DMA_TXQ_OFF, TX_BUFS) != 0)
		return virtio_dev_refuse(&vd, "queue sizes"); /* static: cannot happen */
	if (virtio_dev_queue(&vd, VIRTIO_NET_RX_QUEUE, &rxq) != 0 ||
	    virtio_dev_queue(&vd, VIRTIO_NET_TX_QUEUE, &txq) != 0 || virtio_dev_start(&vd) != 0)
		return -1;
	for (unsigned i = 0; i < TX_BUFS; i++)
		tx_free[i] = (uint8_t)i;
	tx_nfree = TX_BUFS;
	for (unsigned i = 0; i < RX_BUFS; i++)
		post_rx(i);
	virtio_dev_notify(&vd, VIRTIO_NET_RX_QUEUE);
	return 0;
}

int32_t net_backend_open(void)
{
	uint32_t link = 0;
	if (virtio_dev_open(&vd, VIRTIO_ID_NET, WANTED_FEATURES) != 0)
		return NET_ENODEV;
	read_config(&link);
	if (mtu < MTU_MIN) {
		virtio_dev_refuse(&vd, "the device's MTU is below 68");
		return NET_ENODEV;
	}
	if (setup_queues() != 0)
		return NET_ENODEV;
	virtio_log(&vd,
	           "mac %02x:%02x:%02x:%02x:%02x:%02x%s, mtu %u, link %s, waits by %s, "
	           "%u receive buffers, %u sends in flight",
	           mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	           vd.features & (1ull << VIRTIO_NET_F_MAC) ? "" : " (ours: no VIRTIO_NET_F_MAC)",
	           mtu, link ? "up" : "down", vd.irq >= 0 ? "interrupt" : "polling (no interrupt)",
	           RX_BUFS, TX_BUFS);
	return NET_OK;
}

/* Waits (receiving meanwhile) until a send buffer is free: NET_OK, or NET_EIO after 5 s. */
static int32_t tx_buffer(void)
{
	uint64_t deadline = now_ns() + TX_TIMEOUT_NS;
	for (;;) {
		uint64_t now;
		if (pump() != NET_OK)
			return NET_EIO;
		if (tx_nfree)
			return NET_OK;
		now = now_ns();
		if (now >= deadline)
			return give_up("transmitq: no completion within 5 s");
		virtio_dev_wait(&vd, deadline - now);
	}
}

int32_t net_backend_send(const void *frame, uint32_t n)
{
	unsigned slot;
	uint8_t *buf;
	int head;
	if (broken || tx_buffer() != NET_OK)
		return NET_EIO;
	slot = tx_free[--tx_nfree];
	buf = dma + DMA_TX_OFF + slot * SLOT;
	memset(buf, 0, HDR); /* no offloads: the header is all zero */
	memcpy(buf + HDR, frame, n);
	{
		struct virtq_buf b = {dma_pa + DMA_TX_OFF + slot * SLOT, HDR + n, 0};
		head = virtq_add(&txq, &b, 1); /* a free buffer means a free descriptor */
	}
	if (head < 0)
		return give_up("transmitq: no free descriptor for a free buffer");
	tx_slot[head] = (uint8_t)slot;
	virtio_dev_notify(&vd, VIRTIO_NET_TX_QUEUE);
	frames_out++;
	return NET_OK;
}

int32_t net_backend_recv(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
	*got = 0;
	for (;;) {
		uint64_t now;
		if (broken || pump() != NET_OK)
			return NET_EIO;
		*got = frame_queue_pop(&waiting, buf, max);
		if (*got)
			return NET_OK;
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
	snprintf(line, cap,
	         "virtio-net: %lu notifies, %lu interrupts, %lu polls, %lu frames in, %lu frames "
	         "out, %lu dropped (%lu short, %lu client queue full)",
	         vd.requests, vd.interrupts, vd.polls, frames_in, frames_out,
	         short_frames + waiting.dropped, short_frames, waiting.dropped);
}
