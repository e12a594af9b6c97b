/*
 * consdev's backend: the byte stream under the protocol. Booted:
 * virtio-console (backend_virtio.c); hosted: none (backend_none.c, every
 * request STREAM_ENODEV: hosted, attest-bridge uses TCP itself).
 * Each call returns a STREAM_* status.
 */
#ifndef CONSDEV_BACKEND_H
#define CONSDEV_BACKEND_H

#include <stdint.h>

/* STREAM_OK, or STREAM_ENODEV (no usable device: logged once). */
int32_t stream_backend_open(void);
/* Sends n (1..STREAM_CHUNK_MAX) bytes; returns once the device took them. */
int32_t stream_backend_write(const void *buf, uint32_t n);
/* Up to max bytes into buf (*got), waiting up to timeout_ms for the first. */
int32_t stream_backend_read(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got);
/* Drops input, sends the reset line, waits up to timeout_ms for it back. */
int32_t stream_backend_reset(uint32_t timeout_ms);
void stream_backend_report(char *line, unsigned long cap);

#endif
