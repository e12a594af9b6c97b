/*
 * net-client: drives apps/netdev (tests/system/netdev-booted.sh,
 * tests/hosted/netdev-hosted.sh). Mode "basic" (booted, keel-qemu --net:
 * QEMU user networking, slirp): INFO gives QEMU's MAC and MTU 1500,
 * malformed requests are NET_EINVAL, a RECV with nothing there times out,
 * an ARP request for 10.0.2.2 is answered by slirp, and a hand-built
 * DHCPDISCOVER (Ethernet/IPv4/UDP broadcast) brings slirp's DHCPOFFER of
 * 10.0.2.15. Mode "loopback:PORT" adds a TCP SYN to 10.0.2.2:PORT (keel-qemu
 * --net-host-loopback: slirp without restrict=on) that must be answered. Mode "burst": 64 ARP
 * requests sent without reading, then every reply read (netdev queues 32 for its client and
 * drops the rest, counted). Mode "dgram-echo" (hosted netdev on unix datagrams): the peer
 * sends each frame back after two datagrams netdev must drop. Mode "nodev" (hosted, or
 * no device): every good request is NET_ENODEV, malformed ones still NET_EINVAL. Ends "net-client:
 * N checks, M failed". The frame parsing here is a test's: just enough to find the answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "../../../apps/netdev/net_protocol.h"

#define H ((keel_handle_t)1)
#define ETH_P_IP 0x0800u
#define ETH_P_ARP 0x0806u
#define BOOTP_FIXED 236u /* op .. file (RFC 2131 §2) */
#define BOOTP_OPTS 312u  /* the options field's minimum (RFC 2131 §2), magic included */
#define DHCP_XID 0x4b45454cu
#define WAIT_MS 3000u

static unsigned checks, failed;
static uint8_t req[KEEL_MSG_MAX];
static uint8_t rsp[KEEL_MSG_MAX];
static uint8_t mac[6];
static uint8_t gw_mac[6]; /* slirp's, from the ARP reply */
static const uint8_t slirp_gw[4] = {10, 0, 2, 2};
static const uint8_t guest_ip[4] = {10, 0, 2, 15};

static void check(int cond, const char *what, long detail)
{
	checks++;
	if (!cond)
		failed++;
	keel_logf("net-client: %s: %s (%ld)", cond ? "ok" : "FAIL", what, detail);
}

/* The last reply's header (call), zero when it had none. */
static struct net_rsp last;
static int32_t st; /* the last call's status */

/* One request: header + `payload` bytes already at req + sizeof(net_req). Status or < -900. */
static int32_t call(uint32_t op, uint32_t timeout_ms, size_t payload)
{
	struct net_rsp *s = &last;
	struct net_req r = {{op, (uint32_t)(sizeof(r) - sizeof(r.hdr) + payload)}, timeout_ms, 0};
	long n;
	memset(s, 0, sizeof(*s));
	memcpy(req, &r, sizeof(r));
	n = keel_chan_call(H, req, sizeof(r) + payload, rsp, sizeof(rsp));
	if (n < 0)
		return (int32_t)n - 1000;
	if ((size_t)n < sizeof(*s))
		return -999;
	memcpy(s, rsp, sizeof(*s));
	if ((size_t)n != sizeof(*s) + (s->status == NET_OK && op == NET_OP_RECV ? s->len : 0))
		return -998;
	return s->status;
}

/* A raw message of n bytes with the given header and `reserved` word. */
static int32_t raw(uint32_t op, uint32_t len_field, uint32_t reserved, size_t n)
{
	struct net_req r = {{op, len_field}, 0, reserved};
	struct net_rsp r_s;
	long got;
	memset(req, 0, n);
	memcpy(req, &r, sizeof(r));
	got = keel_chan_call(H, req, n, rsp, sizeof(rsp));
	if (got < (long)sizeof(r_s))
		return got < 0 ? (int32_t)got - 1000 : -999;
	memcpy(&r_s, rsp, sizeof(r_s));
	return r_s.status;
}

static void bad_requests(void)
{
	size_t q = sizeof(struct net_req);
	check(raw(0x999, (uint32_t)(q - 8), 0, q) == NET_EINVAL, "unknown op -> EINVAL", 0);
	check(raw(NET_OP_SEND, (uint32_t)(q - 8 + 13), 0, q + 13) == NET_EINVAL,
	      "SEND of 13 bytes (no Ethernet header) -> EINVAL", 13);
	check(raw(NET_OP_SEND, (uint32_t)(q - 8 + NET_FRAME_MAX + 1), 0, q + NET_FRAME_MAX + 1) ==
	          NET_EINVAL,
	      "SEND beyond NET_FRAME_MAX -> EINVAL", NET_FRAME_MAX + 1);
	check(raw(NET_OP_RECV, (uint32_t)(q - 8 + 4), 0, q + 4) == NET_EINVAL,
	      "RECV with trailing bytes -> EINVAL", 4);
	check(raw(NET_OP_INFO, (uint32_t)(q - 8), 7, q) == NET_EINVAL,
	      "reserved not zero -> EINVAL", 7);
	check(raw(NET_OP_INFO, (uint32_t)(q - 8 + 1), 0, q) == NET_EINVAL,
	      "header length disagrees with the message -> EINVAL", 1);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ones' complement sum of n bytes (big-endian words) added to sum, not folded. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	return fold(sum16(0, p, n));
}

/* The frame to send, built at req + sizeof(net_req). */
static uint8_t *frame_out(void)
{
	return req + sizeof(struct net_req);
}

static void eth_header(uint8_t *f, const uint8_t dst[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, mac, 6);
	put16(f + 12, type);
}

/* RECVs frames until match() accepts one or WAIT_MS pass; the frame's length, or 0. */
static uint32_t wait_for(int (*match)(const uint8_t *f, uint32_t n), unsigned *seen)
{
	uint64_t deadline = (uint64_t)keel_time(KEEL_CLOCK_MONOTONIC) + WAIT_MS * 1000000ull;
	for (;;) {
		int64_t now = keel_time(KEEL_CLOCK_MONOTONIC);
		if (now < 0 || (uint64_t)now >= deadline)
			return 0;
		if (call(NET_OP_RECV, (uint32_t)((deadline - (uint64_t)now) / 1000000u) + 1, 0) !=
		    NET_OK)
			continue;
		++*seen;
		if (match(rsp + sizeof(last), last.len))
			return last.len;
	}
}

static int is_arp_reply(const uint8_t *f, uint32_t n)
{
	return n >= 42 && get16(f + 12) == ETH_P_ARP && get16(f + 20) == 2 &&
	       !memcmp(f + 28, slirp_gw, 4) && !memcmp(f + 32, mac, 6);
}

/* An ARP request who-has 10.0.2.2 (42 bytes) at f. */
static void build_arp(uint8_t *f)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	memset(f, 0, 42);
	eth_header(f, bcast, ETH_P_ARP);
	put16(f + 14, 1);      /* htype Ethernet (RFC 826) */
	put16(f + 16, 0x0800); /* ptype IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1); /* request */
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, guest_ip, 4);
	memcpy(f + 38, slirp_gw, 4);
}

static void arp(void)
{
	unsigned seen = 0;
	uint32_t n;
	build_arp(frame_out());
	st = call(NET_OP_SEND, 0, 42);
	check(st == NET_OK && last.len == 42, "SEND ARP who-has 10.0.2.2", last.len);
	n = wait_for(is_arp_reply, &seen);
	check(n != 0, "ARP reply: 10.0.2.2 is-at (slirp)", seen);
	if (n)
		memcpy(gw_mac, rsp + sizeof(last) + 22, 6);
	if (n)
		keel_logf("net-client: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x",
		          rsp[sizeof(last) + 22], rsp[sizeof(last) + 23], rsp[sizeof(last) + 24],
		          rsp[sizeof(last) + 25], rsp[sizeof(last) + 26], rsp[sizeof(last) + 27]);
}

/* Eth + IPv4 (no options) + UDP 68 -> 67 + BOOTP with options 53=DISCOVER, end. */
static size_t build_discover(uint8_t *f)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const size_t bootp = BOOTP_FIXED + BOOTP_OPTS, udp = 8 + bootp, ip = 20 + udp;
	uint8_t *iph = f + 14, *udph = iph + 20, *b = udph + 8;
	memset(f, 0, 14 + ip);
	eth_header(f, bcast, ETH_P_IP);
	iph[0] = 0x45;
	put16(iph + 2, (uint16_t)ip);
	iph[8] = 64; /* TTL */
	iph[9] = 17; /* UDP */
	memset(iph + 16, 0xff, 4);
	put16(iph + 10, ip_checksum(iph, 20));
	put16(udph, 68);
	put16(udph + 2, 67);
	put16(udph + 4, (uint16_t)udp); /* checksum 0: none (RFC 768) */
	b[0] = 1;                       /* BOOTREQUEST */
	b[1] = 1;
	b[2] = 6;
	b[4] = (uint8_t)(DHCP_XID >> 24);
	b[5] = (uint8_t)(DHCP_XID >> 16);
	b[6] = (uint8_t)(DHCP_XID >> 8);
	b[7] = (uint8_t)DHCP_XID;
	b[10] = 0x80; /* broadcast reply */
	memcpy(b + 28, mac, 6);
	b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99; /* the magic cookie (RFC 2132) */
	b[240] = 53, b[241] = 1, b[242] = 1;                 /* DHCPDISCOVER */
	b[243] = 255;
	return 14 + ip;
}

/* The BOOTP payload of a UDP to port 68 reply with our xid, or NULL; *len its length. */
static const uint8_t *bootp_reply(const uint8_t *f, uint32_t n, uint32_t *len)
{
	uint32_t ihl;
	const uint8_t *b;
	if (n < 14 + 20 || get16(f + 12) != ETH_P_IP || (f[14] >> 4) != 4)
		return NULL;
	ihl = (f[14] & 15u) * 4u;
	if (ihl < 20 || f[14 + 9] != 17 || n < 14 + ihl + 8 + 240)
		return NULL;
	if (get16(f + 14 + ihl + 2) != 68)
		return NULL;
	b = f + 14 + ihl + 8;
	*len = n - (14 + ihl + 8);
	if (b[0] != 2 || b[4] != (uint8_t)(DHCP_XID >> 24) || b[7] != (uint8_t)DHCP_XID)
		return NULL;
	return b;
}

static int is_dhcp_reply(const uint8_t *f, uint32_t n)
{
	uint32_t len;
	return bootp_reply(f, n, &len) != NULL;
}

/* The DHCP message type (option 53), or 0. Options walked within len. */
static int dhcp_type(const uint8_t *b, uint32_t len)
{
	uint32_t i = 240;
	while (i < len && b[i] != 255) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len || i + 2 + b[i + 1] > len)
			return 0;
		if (b[i] == 53 && b[i + 1] == 1)
			return b[i + 2];
		i += 2u + b[i + 1];
	}
	return 0;
}

static void dhcp(void)
{
	unsigned seen = 0;
	size_t n = build_discover(frame_out());
	uint32_t got, len = 0;
	const uint8_t *b;
	st = call(NET_OP_SEND, 0, n);
	check(st == NET_OK && last.len == n, "SEND DHCPDISCOVER", (long)n);
	got = wait_for(is_dhcp_reply, &seen);
	b = got ? bootp_reply(rsp + sizeof(last), got, &len) : NULL;
	check(b != NULL, "a BOOTREPLY with our xid", seen);
	if (!b)
		return;
	keel_logf("net-client: offer yiaddr %u.%u.%u.%u", b[16], b[17], b[18], b[19]);
	check(!memcmp(b + 16, guest_ip, 4), "yiaddr 10.0.2.15", b[19]);
	check(!memcmp(b + 236, "\x63\x82\x53\x63", 4) && dhcp_type(b, len) == 2,
	      "DHCP message type OFFER", dhcp_type(b, len));
}

static uint16_t syn_port;

/* A TCP segment from 10.0.2.2:syn_port to us with SYN and ACK set. */
static int is_syn_ack(const uint8_t *f, uint32_t n)
{
	uint32_t ihl;
	if (n < 14 + 20 || get16(f + 12) != ETH_P_IP || (f[14] >> 4) != 4)
		return 0;
	ihl = (f[14] & 15u) * 4u;
	if (ihl < 20 || f[14 + 9] != 6 || n < 14 + ihl + 20 || memcmp(f + 14 + 12, slirp_gw, 4))
		return 0;
	return get16(f + 14 + ihl) == syn_port && get16(f + 14 + ihl + 2) == 40000 &&
	       (f[14 + ihl + 13] & 0x12) == 0x12;
}

/* One TCP segment (no options, no data) from 10.0.2.15:40000 to 10.0.2.2:port. */
static size_t build_tcp(uint8_t *f, uint16_t port, uint8_t flags, uint32_t seq)
{
	uint8_t *iph = f + 14, *t = iph + 20, pseudo[12];
	memset(f, 0, 14 + 40);
	eth_header(f, gw_mac, ETH_P_IP);
	iph[0] = 0x45;
	put16(iph + 2, 40);
	iph[8] = 64;
	iph[9] = 6;
	memcpy(iph + 12, guest_ip, 4);
	memcpy(iph + 16, slirp_gw, 4);
	put16(iph + 10, ip_checksum(iph, 20));
	put16(t, 40000);
	put16(t + 2, port);
	t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16), t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 8192);
	memcpy(pseudo, iph + 12, 8); /* RFC 793 §3.1: the pseudo header */
	pseudo[8] = 0, pseudo[9] = 6;
	put16(pseudo + 10, 20);
	put16(t + 16, fold(sum16(sum16(0, pseudo, 12), t, 20)));
	return 14 + 40;
}

/*
 * keel-qemu --net-host-loopback: a SYN to 10.0.2.2:PORT reaches the host's
 * 127.0.0.1:PORT (slirp answers SYN-ACK once its connect succeeded; the
 * test's listener counts the connection); then a RST ends it.
 */
static void loopback(uint16_t port)
{
	unsigned seen = 0;
	uint32_t n;
	syn_port = port;
	st = call(NET_OP_SEND, 0, build_tcp(frame_out(), port, 0x02, 1000));
	check(st == NET_OK, "SEND TCP SYN to 10.0.2.2", port);
	n = wait_for(is_syn_ack, &seen);
	check(n != 0, "SYN-ACK from 10.0.2.2 (the host's loopback listener)", seen);
	st = call(NET_OP_SEND, 0, build_tcp(frame_out(), port, 0x04, 1001));
	check(st == NET_OK, "SEND TCP RST", port);
}

static void basic(void)
{
	static const uint8_t qemu_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	st = call(NET_OP_INFO, 0, 0);
	check(st == NET_OK, "INFO", last.status);
	memcpy(mac, last.mac, sizeof(mac));
	check(!memcmp(mac, qemu_mac, 6), "MAC is QEMU's default 52:54:00:12:34:56", mac[5]);
	check(last.mtu == 1500, "MTU 1500", last.mtu);
	bad_requests();
	st = call(NET_OP_RECV, 200, 0);
	check(st == NET_ETIMEDOUT && last.len == 0, "RECV with nothing there -> ETIMEDOUT",
	      last.status);
	arp();
	dhcp();
}

/*
 * More frames than netdev queues for its client: BURST ARP requests sent
 * back to back without reading, then every reply read. netdev holds 32
 * (frame_queue.c) and drops the rest, counted (netdev-booted.sh checks
 * replies + netdev's "client queue full" count = BURST).
 */
#define BURST 64u
static void burst(void)
{
	unsigned replies = 0, other = 0, sent = 0;
	st = call(NET_OP_INFO, 0, 0);
	check(st == NET_OK, "INFO", last.status);
	memcpy(mac, last.mac, sizeof(mac));
	for (unsigned i = 0; i < BURST; i++) {
		build_arp(frame_out());
		if (call(NET_OP_SEND, 0, 42) == NET_OK)
			sent++;
	}
	check(sent == BURST, "SEND 64 ARP requests back to back", sent);
	while (call(NET_OP_RECV, 1000, 0) == NET_OK) {
		if (is_arp_reply(rsp + sizeof(last), last.len))
			replies++;
		else
			other++;
	}
	keel_logf("net-client: burst: %u ARP requests sent, %u replies received, %u other frames",
	          sent, replies, other);
	check(replies >= 32 && replies <= BURST, "the client queue's 32 frames came through",
	      replies);
}

/*
 * Hosted netdev on unix datagrams (tests/hosted/netdev-hosted.sh): the
 * peer (tests/hosted/netdev-dgram-peer.py) sends each frame back, after a
 * runt and an oversized datagram that netdev must drop.
 */
static void dgram_echo(void)
{
	static const uint8_t our_mac[6] = {0x02, 0x4b, 0x45, 0x45, 0x4c, 0x01};
	static const uint32_t sizes[] = {60, NET_FRAME_MAX};
	st = call(NET_OP_INFO, 0, 0);
	check(st == NET_OK && !memcmp(last.mac, our_mac, 6) && last.mtu == 1500,
	      "INFO: the default hosted MAC, MTU 1500", last.status);
	memcpy(mac, last.mac, sizeof(mac));
	bad_requests();
	st = call(NET_OP_RECV, 200, 0);
	check(st == NET_ETIMEDOUT && last.len == 0, "RECV with nothing there -> ETIMEDOUT",
	      last.status);
	for (unsigned k = 0; k < 2; k++) {
		uint8_t *f = frame_out();
		uint32_t n = sizes[k];
		for (uint32_t i = 0; i < n; i++)
			f[i] = (uint8_t)(i * 7 + k);
		st = call(NET_OP_SEND, 0, n);
		check(st == NET_OK && last.len == n, "SEND a frame to the peer", n);
		for (uint32_t i = 0; i < n; i++)
			f[i] =
			    (uint8_t)(i * 7 + k); /* the reply may not overwrite what we compare */
		st = call(NET_OP_RECV, 3000, 0);
		check(st == NET_OK && last.len == n && !memcmp(rsp + sizeof(last), f, n),
		      "RECV: the same frame back, the runt and the oversized one dropped",
		      last.len);
	}
}

static void nodev(void)
{
	st = call(NET_OP_INFO, 0, 0);
	check(st == NET_ENODEV, "INFO -> ENODEV", last.status);
	memset(frame_out(), 0xff, 60);
	st = call(NET_OP_SEND, 0, 60);
	check(st == NET_ENODEV, "SEND -> ENODEV", last.status);
	st = call(NET_OP_RECV, 100, 0);
	check(st == NET_ENODEV, "RECV -> ENODEV", last.status);
	bad_requests();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	if (!strcmp(mode, "nodev")) {
		nodev();
	} else if (!strcmp(mode, "burst")) {
		burst();
	} else if (!strcmp(mode, "dgram-echo")) {
		dgram_echo();
	} else {
		basic();
		if (!strncmp(mode, "loopback:", 9))
			loopback((uint16_t)strtoul(mode + 9, NULL, 10));
	}
	keel_logf("net-client: %u checks, %u failed", checks, failed);
	return failed ? 1 : 0;
}
