/*
 * Checking one net request (net_protocol.h) before anything is done:
 * framing, op, lengths. No device state: that is the backend's.
 */
#ifndef NETDEV_REQUEST_H
#define NETDEV_REQUEST_H

#include <stddef.h>
#include <stdint.h>

struct net_checked {
	uint32_t op;
	uint32_t timeout_ms;  /* RECV */
	const uint8_t *frame; /* SEND: `len` bytes */
	uint32_t len;
};

/* NET_OK and *out filled, or NET_EINVAL. `msg`/`n` as received. */
int32_t net_request_check(const uint8_t *msg, size_t n, struct net_checked *out);

#endif
