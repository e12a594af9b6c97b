/*
 * The one TCP connection, to the one peer of the manifest, and what the
 * stream operations do with it (stream_protocol.h). Each returns a
 * STREAM_* status.
 *
 *   none    no connection yet (start, or the last open failed): READ and
 *           WRITE open one first (CONN_OPEN_MS), as consdev's relay
 *           connects on the first byte
 *   open    established: WRITE queues, READ returns what arrived
 *   closed  the peer sent FIN or RST: READ returns what is left, then
 *           STREAM_ECLOSED; WRITE STREAM_ECLOSED; until a RESET
 */
#ifndef NETSTACK_TCP_CONN_H
#define NETSTACK_TCP_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CONN_OPEN_MS 10000u /* RESET's timeout_ms 0, and the implicit open */
#define CONN_WRITE_MS 5000u /* WRITE waits this long for send-buffer space */

void conn_init(const struct netstack_config *cfg);

/* RESET: closes the connection (if any), drops unread input, opens a new
 * one: STREAM_OK once established, STREAM_ETIMEDOUT if not within
 * timeout_ms (0: CONN_OPEN_MS), STREAM_EIO if refused (RST) or there is no
 * address by then. */
int32_t conn_reset(uint32_t timeout_ms);

/* WRITE: all `len` bytes queued into TCP (*count = len) or an error
 * (*count = what was queued). */
int32_t conn_write(const uint8_t *data, uint32_t len, uint32_t *count);

/* READ: 1..max bytes into buf (*count), waiting up to timeout_ms. */
int32_t conn_read(uint8_t *buf, uint32_t max, uint32_t timeout_ms, uint32_t *count);

/* After lwIP ran (pump): closes our side once the peer's FIN came. */
void conn_settle(void);

/* Closes the connection (the client left). */
void conn_shutdown(void);

void conn_report(char *buf, size_t len);

#endif
