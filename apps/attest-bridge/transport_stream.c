/*
 * The booted transports: the byte stream of apps/consdev/stream_protocol.h
 * to the consdev task, relayed by keel-proxy on the host ("proxy"), or to
 * the netstack task, a TCP connection of Keel's own ("net"). "connect" is
 * STREAM_OP_RESET (a new connection to the broker), so a keep-alive
 * connection the broker closed is replaced the same way. STREAM_ECLOSED
 * (netstack only: the broker closed or reset the connection) reads as the
 * peer closing (0) and fails a write.
 */
#include <string.h>

#include <keel/syscall.h>

#include "../consdev/stream_protocol.h"
#include "transport.h"

static uint8_t msg[sizeof(struct stream_req) + STREAM_CHUNK_MAX];

static int stream_connect(struct transport *t)
{
	struct stream_req req = {{STREAM_OP_RESET, sizeof(req) - sizeof(struct keel_msg)}, 0,
	                         TRANSPORT_CONNECT_MS};
	struct stream_rsp rsp;
	long n = keel_chan_call(t->slot, &req, sizeof(req), &rsp, sizeof(rsp));
	return n == (long)sizeof(rsp) && rsp.status == STREAM_OK ? 0 : -1;
}

static int stream_write(struct transport *t, const void *buf, size_t len, unsigned timeout_ms)
{
	const uint8_t *p = buf;
	while (len) {
		size_t k = len < STREAM_CHUNK_MAX ? len : STREAM_CHUNK_MAX;
		struct stream_req req = {{STREAM_OP_WRITE, (uint32_t)(sizeof(req) - 8 + k)},
		                         0, timeout_ms};
		struct stream_rsp rsp;
		memcpy(msg, &req, sizeof(req));
		memcpy(msg + sizeof(req), p, k);
		long n = keel_chan_call(t->slot, msg, sizeof(req) + k, &rsp, sizeof(rsp));
		if (n != (long)sizeof(rsp) || rsp.status != STREAM_OK || rsp.count != k)
			return -1;
		p += k;
		len -= k;
	}
	return 0;
}

static long stream_read(struct transport *t, void *buf, size_t cap, unsigned timeout_ms)
{
	size_t want = cap < STREAM_CHUNK_MAX ? cap : STREAM_CHUNK_MAX;
	struct stream_req req = {{STREAM_OP_READ, sizeof(req) - 8}, (uint32_t)want, timeout_ms};
	long n = keel_chan_call(t->slot, &req, sizeof(req), msg, sizeof(msg));
	struct stream_rsp rsp;
	if (n < (long)sizeof(rsp))
		return -1;
	memcpy(&rsp, msg, sizeof(rsp));
	if (rsp.status == STREAM_ECLOSED && rsp.count == 0 && (size_t)n == sizeof(rsp))
		return 0;
	if (rsp.status == STREAM_ETIMEDOUT)
		return TRANSPORT_ETIMEDOUT;
	if (rsp.status != STREAM_OK || rsp.count > want ||
	    (size_t)n != sizeof(rsp) + rsp.count || rsp.count == 0)
		return -1;
	memcpy(buf, msg + sizeof(rsp), rsp.count);
	return (long)rsp.count;
}

static void stream_close(struct transport *t)
{
	(void)t; /* the next connect resets the relay */
}

void transport_stream_init_named(struct transport *t, keel_handle_t slot, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->fd = -1;
	t->slot = slot;
	t->connect = stream_connect;
	t->write = stream_write;
	t->read = stream_read;
	t->close = stream_close;
}

void transport_stream_init(struct transport *t, keel_handle_t slot)
{
	transport_stream_init_named(t, slot, "proxy");
}
