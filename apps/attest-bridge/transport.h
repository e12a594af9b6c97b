/*
 * The byte pipe to the key broker: TCP hosted (transport_tcp.c), the
 * consdev stream booted (transport_stream.c). Untrusted either way: the
 * host sees and can change every byte; the bridge authenticates the
 * broker end to end (the pinned identity key).
 */
#ifndef ATTEST_TRANSPORT_H
#define ATTEST_TRANSPORT_H

#include <stddef.h>

#include <keel/types.h>

#define TRANSPORT_ETIMEDOUT (-2)
#define TRANSPORT_CONNECT_MS 10000 /* the relay answers a reset (or connect) within this */

struct transport {
	const char *name; /* "tcp" or "proxy", for the start line */
	int (*connect)(struct transport *t);
	/* All of `len` or -1. */
	int (*write)(struct transport *t, const void *buf, size_t len, unsigned timeout_ms);
	/* >0 bytes read, 0 the peer closed, -1 error, TRANSPORT_ETIMEDOUT. */
	long (*read)(struct transport *t, void *buf, size_t cap, unsigned timeout_ms);
	void (*close)(struct transport *t);
	int fd;                /* tcp */
	char host[64];
	unsigned port;
	keel_handle_t slot;    /* stream */
};

/* -1 where the build has no TCP (booted). */
int transport_tcp_init(struct transport *t, const char *host, unsigned port);
/* The stream on `slot`: consdev + keel-proxy ("proxy") or netstack ("net"). */
void transport_stream_init_named(struct transport *t, keel_handle_t slot, const char *name);
/* transport_stream_init_named(t, slot, "proxy"). */
void transport_stream_init(struct transport *t, keel_handle_t slot);

#endif
