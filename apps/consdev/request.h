/*
 * Checking one stream request (stream_protocol.h) before anything is
 * done: framing, op, lengths. No device state: that is the backend's.
 */
#ifndef CONSDEV_REQUEST_H
#define CONSDEV_REQUEST_H

#include <stddef.h>
#include <stdint.h>

struct stream_checked {
	uint32_t op;
	uint32_t max;        /* READ: 1..STREAM_CHUNK_MAX */
	uint32_t timeout_ms; /* READ, RESET */
	const uint8_t *data; /* WRITE: `count` bytes */
	uint32_t count;
};

/* STREAM_OK and *out filled, or STREAM_EINVAL. `msg`/`n` as received. */
int32_t stream_request_check(const uint8_t *msg, size_t n, struct stream_checked *out);

#endif
