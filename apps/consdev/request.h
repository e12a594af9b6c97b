/*
 * Checking one stream request (stream_protocol.h) before anything is
 * done: framing, op, lengths; and the reply's header. No device state:
 * that is the backend's. Used by consdev and apps/netstack.
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

/*
 * The reply to the request `msg`/`n` (checked into *c when `status` is
 * STREAM_OK), in `rsp`: a struct stream_rsp echoing the request's op
 * (KEEL_OP_ERROR without one), `status` and `count`; only a good READ
 * carries bytes, the `count` already at rsp + sizeof(struct stream_rsp)
 * (a WRITE's count says how many were taken). Returns the reply's length.
 */
size_t stream_reply(uint8_t *rsp, const uint8_t *msg, size_t n, const struct stream_checked *c,
                    int32_t status, uint32_t count);

#endif
