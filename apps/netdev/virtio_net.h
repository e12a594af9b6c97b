/*
 * The virtio-net numbers netdev uses (VIRTIO 1.1 §5.1): one queue pair,
 * receiveq1 (0) and transmitq1 (1); every buffer starts with a
 * virtio_net_hdr, 12 bytes with VIRTIO_F_VERSION_1 (§5.1.6); the MAC, the
 * link status and the MTU in the config space (§5.1.4).
 */
#ifndef NETDEV_VIRTIO_NET_H
#define NETDEV_VIRTIO_NET_H

#include <stdint.h>

#define VIRTIO_ID_NET 1u
#define VIRTIO_NET_RX_QUEUE 0u
#define VIRTIO_NET_TX_QUEUE 1u

/* Feature bits (§5.1.3). */
#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16

/* Config space offsets (§5.1.4). */
#define VIRTIO_NET_CFG_MAC 0u
#define VIRTIO_NET_CFG_STATUS 6u
#define VIRTIO_NET_CFG_MTU 10u
#define VIRTIO_NET_S_LINK_UP 1u

/* §5.1.6: with VIRTIO_F_VERSION_1 num_buffers is always there. */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "5.1.6");

#endif
