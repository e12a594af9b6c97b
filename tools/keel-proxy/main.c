/*
 * keel-proxy: relays the byte stream of Keel's consdev (virtio-console,
 * keel-qemu --proxy-socket PATH) to a TCP peer, e.g. the key broker.
 *   keel-proxy --socket PATH --connect HOST:PORT [--wait SECS]
 * Connects to QEMU's chardev socket (retrying up to SECS, default 30, as
 * QEMU creates it at start), then relays until QEMU goes away.
 * docs/keel-proxy.md describes the wire and the logs.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "relay.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: keel-proxy --socket PATH --connect HOST:PORT [--wait SECS]\n"
	           "  --socket PATH       QEMU's virtio-console chardev socket (keel-qemu "
	           "--proxy-socket)\n"
	           "  --connect HOST:PORT the TCP peer; a connection is opened when the VM sends\n"
	           "                      its first byte, and again after the peer closed or the\n"
	           "                      VM sent the reset line (docs/keel-proxy.md)\n"
	           "  --wait SECS         how long to retry connecting to PATH (default 30)\n");
}

static int resolve(const char *hp, struct relay_peer *peer)
{
	char host[256];
	const char *colon = strrchr(hp, ':');
	struct addrinfo hints = {0}, *res = NULL;
	int e;
	if (!colon || colon == hp || !colon[1] || (size_t)(colon - hp) >= sizeof(host)) {
		fprintf(stderr, "keel-proxy: --connect wants HOST:PORT, not '%s'\n", hp);
		return -1;
	}
	memcpy(host, hp, (size_t)(colon - hp));
	host[colon - hp] = 0;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	e = getaddrinfo(host, colon + 1, &hints, &res);
	if (e) {
		fprintf(stderr, "keel-proxy: %s: %s\n", hp, gai_strerror(e));
		return -1;
	}
	memcpy(&peer->addr, res->ai_addr, res->ai_addrlen);
	peer->addr_len = res->ai_addrlen;
	peer->name = hp;
	freeaddrinfo(res);
	return 0;
}

static int connect_vm(const char *path, long wait_s)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct timespec pause = {0, 100000000};
	if (strlen(path) >= sizeof(a.sun_path)) {
		fprintf(stderr, "keel-proxy: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	for (long tries = 0;; tries++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			perror("keel-proxy: socket");
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			fprintf(stderr, "keel-proxy: connected to QEMU's socket %s\n", path);
			return fd;
		}
		int e = errno;
		close(fd);
		if ((e != ENOENT && e != ECONNREFUSED) || tries >= wait_s * 10) {
			fprintf(stderr, "keel-proxy: cannot connect to QEMU's socket %s: %s\n",
			        path, strerror(e));
			return -1;
		}
		nanosleep(&pause, NULL);
	}
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *conn = NULL;
	long wait_s = 30;
	struct relay_peer peer;
	int fd;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			usage(stderr);
			return 2;
		}
		if (!strcmp(argv[i], "--socket"))
			sock = argv[++i];
		else if (!strcmp(argv[i], "--connect"))
			conn = argv[++i];
		else if (!strcmp(argv[i], "--wait")) {
			char *end;
			wait_s = strtol(argv[++i], &end, 10);
			if (*end || wait_s < 0 || wait_s > 3600) {
				fprintf(stderr, "keel-proxy: --wait wants 0..3600 seconds\n");
				return 2;
			}
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!sock || !conn) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an error return, not a kill */
	if (resolve(conn, &peer))
		return 2;
	fd = connect_vm(sock, wait_s);
	if (fd < 0)
		return 1;
	return relay_run(fd, &peer);
}
