/*
 * The hosted backend. With KEEL_NET_SOCKET=PATH in the environment, frames
 * are unix datagrams (SOCK_DGRAM, connected to PATH; one datagram = one
 * Ethernet frame without the FCS): tests/hosted/net-lossy-relay.py binds
 * PATH and forwards them to a TAP device, losing, reordering, duplicating,
 * delaying and corrupting some on purpose. Our socket is autobound (an
 * abstract name) and says hello with one empty datagram at start, so the
 * relay knows where to send before our first frame. MAC: KEEL_NET_MAC
 * (xx:xx:xx:xx:xx:xx, unicast) or 02:4b:45:45:4c:01; MTU 1500. Without
 * KEEL_NET_SOCKET there is no device: every request NET_ENODEV, said once
 * at start. The other side is as untrusted as a wire: a datagram shorter
 * than an Ethernet header or longer than NET_FRAME_MAX is dropped and
 * counted; a frame the relay cannot take within SEND_WAIT_MS (its queue
 * full) or at all (gone) is lost as on a wire, counted, and the stack's
 * retransmission recovers.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <keel/syscall.h>

#include "backend.h"
#include "net_protocol.h"

#define BAD_PER_CALL 64u /* bad datagrams one RECV skips before it answers */
/* A unix datagram queue holds few frames (net.unix.max_dgram_qlen, 10 by
 * default): a burst waits for the relay this long before a frame is lost. */
#define SEND_WAIT_MS 200

static const uint8_t default_mac[6] = {0x02, 0x4b, 0x45, 0x45, 0x4c, 0x01};

static int fd = -1;
static uint8_t mac[6];
static uint8_t rx[NET_FRAME_MAX + 1]; /* one more: an oversized datagram shows as such */
static unsigned long frames_in, frames_out, bad_in, lost_out;

/* "xx:xx:xx:xx:xx:xx", hex digits either case, a unicast address: 0, or -1. */
static int parse_mac(const char *s, uint8_t out[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++) {
			char c = *s++;
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
			                                    : 16u;
			if (d > 15)
				return -1;
			v = v << 4 | d;
		}
		out[i] = (uint8_t)v;
		if (*s++ != (i < 5 ? ':' : '\0'))
			return -1;
	}
	return out[0] & 1 ? -1 : 0; /* a multicast bit: not an interface's address */
}

/* The socket, autobound and connected to path, hello sent: 0, or -1 (logged). */
static int open_socket(const char *path)
{
	struct sockaddr_un peer = {.sun_family = AF_UNIX};
	sa_family_t autobind = AF_UNIX;
	struct timeval wait = {0, SEND_WAIT_MS * 1000};
	if (strlen(path) >= sizeof(peer.sun_path)) {
		keel_logf("netdev: KEEL_NET_SOCKET: path longer than %zu bytes; no device",
		          sizeof(peer.sun_path) - 1);
		return -1;
	}
	memcpy(peer.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof(wait)) != 0 ||
	    bind(fd, (struct sockaddr *)&autobind, sizeof(autobind)) != 0 ||
	    connect(fd, (struct sockaddr *)&peer, sizeof(peer)) != 0 || send(fd, "", 0, 0) != 0) {
		keel_logf("netdev: KEEL_NET_SOCKET=%s: %s; no device", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
		return -1;
	}
	return 0;
}

int32_t net_backend_open(void)
{
	const char *path = getenv("KEEL_NET_SOCKET");
	const char *m = getenv("KEEL_NET_MAC");
	if (!path || !*path) {
		static const char line[] =
		    "netdev: hosted: no network device; every request NET_ENODEV";
		keel_log(line, sizeof(line) - 1);
		return NET_ENODEV;
	}
	memcpy(mac, default_mac, sizeof(mac));
	if (m && parse_mac(m, mac) != 0) {
		keel_logf("netdev: KEEL_NET_MAC=%s: not a unicast xx:xx:xx:xx:xx:xx; no device", m);
		return NET_ENODEV;
	}
	if (open_socket(path) != 0)
		return NET_ENODEV;
	keel_logf("netdev: hosted: unix datagrams to %s, mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u",
	          path, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], NET_MTU_DEFAULT);
	return NET_OK;
}

int32_t net_backend_send(const void *frame, uint32_t n)
{
	if (fd < 0)
		return NET_ENODEV;
	/* blocks while the relay's queue is full, SEND_WAIT_MS at most (SO_SNDTIMEO) */
	if (send(fd, frame, n, 0) != (ssize_t)n) {
		if (lost_out++ == 0)
			keel_logf("netdev: hosted: a frame the relay did not take (%s): lost, "
			          "as on a wire (counted from now on)",
			          strerror(errno));
		return NET_OK;
	}
	frames_out++;
	return NET_OK;
}

static int64_t now_ms(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : t / 1000000;
}

int32_t net_backend_recv(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	int64_t deadline = now_ms() + timeout_ms;
	*got = 0;
	if (fd < 0)
		return NET_ENODEV;
	for (unsigned bad = 0;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - now_ms();
		ssize_t r;
		if (poll(&p, 1, left > 0 ? (int)left : 0) < 0 && errno != EINTR)
			return NET_EIO;
		r = recv(fd, rx, sizeof(rx), MSG_DONTWAIT | MSG_TRUNC);
		if (r >= (ssize_t)NET_FRAME_MIN && r <= (ssize_t)NET_FRAME_MAX) {
			*got = (uint32_t)r < max ? (uint32_t)r : max;
			memcpy(buf, rx, *got);
			frames_in++;
			return NET_OK;
		}
		if (r >= 0) {
			bad_in++; /* not an Ethernet frame we carry: dropped, look again */
			if (++bad < BAD_PER_CALL)
				continue;
		} else if (errno == ECONNREFUSED) {
			usleep(10000); /* the relay is gone: no frames, and no busy loop */
		} else if (errno != EAGAIN && errno != EINTR) {
			return NET_EIO;
		}
		if (left <= 0)
			return NET_ETIMEDOUT;
	}
}

int32_t net_backend_info(uint8_t out_mac[6], uint16_t *mtu)
{
	if (fd < 0) {
		memset(out_mac, 0, 6);
		*mtu = 0;
		return NET_ENODEV;
	}
	memcpy(out_mac, mac, sizeof(mac));
	*mtu = NET_MTU_DEFAULT;
	return NET_OK;
}

void net_backend_report(char *line, unsigned long cap)
{
	if (fd < 0)
		snprintf(line, cap, "no device");
	else
		snprintf(
		    line, cap,
		    "unix datagrams: %lu frames in, %lu frames out, %lu dropped (%lu bad in, %lu "
		    "lost out)",
		    frames_in, frames_out, bad_in + lost_out, bad_in, lost_out);
}
