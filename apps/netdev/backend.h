/*
 * netdev's backend: the frames under the protocol. Booted: virtio-net
 * (backend_virtio.c); hosted: unix datagrams to $KEEL_NET_SOCKET, or no
 * device without it (backend_dgram.c). Each call returns a NET_* status.
 */
#ifndef NETDEV_BACKEND_H
#define NETDEV_BACKEND_H

#include <stdint.h>

/* NET_OK, or NET_ENODEV (no usable device: logged once). */
int32_t net_backend_open(void);
/* Sends one frame of n (NET_FRAME_MIN..NET_FRAME_MAX) bytes; returns once the device has it. */
int32_t net_backend_send(const void *frame, uint32_t n);
/* One frame (at most max bytes, *got) into buf, waiting up to timeout_ms. */
int32_t net_backend_recv(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got);
/* The MAC and the IP MTU. */
int32_t net_backend_info(uint8_t mac[6], uint16_t *mtu);
void net_backend_report(char *line, unsigned long cap);

#endif
