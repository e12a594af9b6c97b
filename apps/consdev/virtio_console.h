/*
 * The virtio-console numbers consdev uses (VIRTIO 1.1 §5.3): without
 * VIRTIO_CONSOLE_F_MULTIPORT the device has one port (0) and two queues,
 * receiveq (host -> guest) and transmitq (guest -> host).
 */
#ifndef CONSDEV_VIRTIO_CONSOLE_H
#define CONSDEV_VIRTIO_CONSOLE_H

#define VIRTIO_ID_CONSOLE 3u
#define VIRTIO_CONSOLE_RX_QUEUE 0u
#define VIRTIO_CONSOLE_TX_QUEUE 1u

#endif
