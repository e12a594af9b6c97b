/*
 * keel-proxy's relay: bytes between QEMU's virtio-console chardev socket
 * and TCP connections to one peer (docs/keel-proxy.md). Never looks at
 * the bytes beyond finding the reset line (apps/consdev/reset_line.h).
 */
#ifndef KEEL_PROXY_RELAY_H
#define KEEL_PROXY_RELAY_H

#include <netdb.h>
#include <sys/socket.h>

struct relay_peer {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	const char *name; /* HOST:PORT as given, for logs */
};

/* Relays until QEMU closes its socket (returns 0) or an error on it (1). */
int relay_run(int vm_fd, const struct relay_peer *peer);

#endif
