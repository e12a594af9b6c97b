/*
 * The byte-stream protocol: a client task (attest-bridge) and a stream
 * task over one channel: apps/consdev/ (virtio-console booted, relayed by
 * build/bin/keel-proxy on the host to a TCP peer) or apps/netstack/ (lwIP:
 * a TCP connection of Keel's own to the peer its manifest names; RESET
 * closes it and opens a new one, STREAM_OK once established). The
 * stream carries opaque bytes (HTTP to the key broker); it is
 * untrusted (the host sees and can change every byte), so whatever the
 * client needs secret or authentic it protects end to end.
 * Every message starts with struct keel_msg (keel/msg.h).
 *
 *   STREAM_OP_WRITE  req: struct stream_req {timeout_ms} + bytes (1..STREAM_CHUNK_MAX)
 *                    rsp: struct stream_rsp {status; count = bytes accepted, all of them on 0}
 *   STREAM_OP_READ   req: struct stream_req {max = most bytes wanted, 1..STREAM_CHUNK_MAX; timeout_ms}
 *                    rsp: struct stream_rsp {status; count} + count bytes; waits until
 *                         at least one byte is there or timeout_ms passed
 *                         (status STREAM_ETIMEDOUT, count 0)
 *   STREAM_OP_RESET  req: struct stream_req: drop buffered input; the relay is told
 *                         to start a new connection to its peer (a line
 *                         STREAM_RESET_LINE on the wire, see keel-proxy)
 *                         and consdev waits up to timeout_ms (0: 5000) for the relay
 *                         to send the same line back (input before it, from
 *                         the old connection, is dropped): STREAM_OK, or
 *                         STREAM_ETIMEDOUT when no relay answered.
 * Requests are checked first (STREAM_EINVAL): framing (keel_msg_check), a
 * known op, WRITE 1..STREAM_CHUNK_MAX bytes, READ/RESET exactly a
 * stream_req, READ max 1..STREAM_CHUNK_MAX. WRITE waits for the device (at
 * most 5 s) and ignores timeout_ms and max. docs/keel-proxy.md: the wire.
 */
#ifndef STREAM_PROTOCOL_H
#define STREAM_PROTOCOL_H

#include <stdint.h>

#include <keel/msg.h>

#define STREAM_CHUNK_MAX 16384u

/*
 * The reset line, in both directions on the wire (docs/keel-proxy.md):
 * VM -> relay "close the TCP connection, open a new one on the next byte";
 * relay -> VM "done, what follows is the new connection's". It begins with
 * a NUL byte, which HTTP and JSON text never carry, and NUL appears nowhere
 * else in it, so a scanner never needs to back up (apps/consdev/reset_line.h).
 * A user of the stream must never send these bytes as data.
 */
#define STREAM_RESET_LINE "\0KEEL-PROXY-RESET\n"
#define STREAM_RESET_LINE_LEN 18u /* without a terminating NUL */

#define STREAM_OP_WRITE (KEEL_OP_SERVICE_BASE + 0)
#define STREAM_OP_READ (KEEL_OP_SERVICE_BASE + 1)
#define STREAM_OP_RESET (KEEL_OP_SERVICE_BASE + 2)

#define STREAM_OK 0
#define STREAM_EIO (-1)       /* the device failed */
#define STREAM_ETIMEDOUT (-2) /* nothing within timeout_ms */
#define STREAM_EINVAL (-3)    /* malformed request */
#define STREAM_ENODEV (-4)    /* no device */
/*
 * The connection is gone: READ after the peer closed (FIN, once every byte
 * before it was read) or reset it, WRITE after a reset. Only a stream that
 * has connections says it (apps/netstack/: a TCP connection to the broker);
 * consdev never does. A RESET opens a new connection.
 */
#define STREAM_ECLOSED (-5)

struct stream_req {
	struct keel_msg hdr;
	uint32_t max;
	uint32_t timeout_ms;
	/* WRITE: bytes follow */
};

struct stream_rsp {
	struct keel_msg hdr;
	int32_t status;
	uint32_t count;
	/* READ: bytes follow */
};

_Static_assert(sizeof(struct stream_req) == 16, "stream_req layout");
_Static_assert(sizeof(struct stream_rsp) == 16, "stream_rsp layout");

#endif
