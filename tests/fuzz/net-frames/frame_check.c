/*
 * What the fuzzed stack sends must be a frame netdev accepts and a peer
 * can parse: 14..NET_FRAME_MAX bytes from our MAC, ARP of the one size,
 * IPv4 whose lengths agree with the frame, the MTU, and whose header, TCP
 * and UDP checksums are right. Any violation aborts (a fuzzer crash).
 * And the other way: fuzzed frames may ask for their checksums to be
 * repaired, so the fuzzer reaches the code behind the checksum checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_protocol.h"
#include "net_fuzz.h"

const uint8_t fuzz_our_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
const uint8_t fuzz_gw_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

static void bad(const char *why, size_t len)
{
	fprintf(stderr, "net-frames: the stack sent a malformed frame (%zu bytes): %s\n", len, why);
	abort();
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += be16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The pseudo-header sum of an IPv4 packet's L4 part of `l4len` bytes. */
static uint32_t pseudo(const uint8_t *ip, unsigned proto, size_t l4len)
{
	return sum16(ip + 12, 8, 0) + proto + (uint32_t)l4len;
}

void frame_check_out(const uint8_t *f, size_t len)
{
	if (len < NET_ETH_HDR || len > NET_FRAME_MAX)
		bad("length outside 14..1514", len);
	if (memcmp(f + 6, fuzz_our_mac, 6))
		bad("a source MAC not ours", len);
	unsigned type = be16(f + 12);
	if (type == 0x0806) {
		if (len != 42 || be16(f + 14) != 1 || be16(f + 16) != 0x0800 || f[18] != 6 ||
		    f[19] != 4 || (be16(f + 20) != 1 && be16(f + 20) != 2))
			bad("a malformed ARP packet", len);
		return;
	}
	if (type != 0x0800)
		bad("an EtherType neither IPv4 nor ARP", len);
	const uint8_t *ip = f + NET_ETH_HDR;
	size_t iplen = len - NET_ETH_HDR;
	if (iplen < 20 || ip[0] >> 4 != 4 || (ip[0] & 15) < 5)
		bad("a malformed IPv4 header", len);
	size_t hl = (size_t)(ip[0] & 15) * 4, tot = be16(ip + 2);
	if (hl > iplen || tot != iplen || tot > NET_MTU_DEFAULT)
		bad("IPv4 lengths that disagree with the frame or exceed the MTU", len);
	if (fold(sum16(ip, hl, 0)) != 0)
		bad("a wrong IPv4 header checksum", len);
	if (be16(ip + 6) & 0x3fff)
		return; /* a fragment: the L4 checksum covers the whole datagram */
	const uint8_t *l4 = ip + hl;
	size_t l4len = tot - hl;
	switch (ip[9]) {
	case 6:
		if (l4len < 20 || (size_t)(l4[12] >> 4) * 4 < 20 ||
		    (size_t)(l4[12] >> 4) * 4 > l4len)
			bad("a malformed TCP header", len);
		if (fold(sum16(l4, l4len, pseudo(ip, 6, l4len))) != 0)
			bad("a wrong TCP checksum", len);
		break;
	case 17:
		if (l4len < 8 || be16(l4 + 4) != l4len)
			bad("a UDP length that disagrees with IPv4's", len);
		if (be16(l4 + 6) && fold(sum16(l4, l4len, pseudo(ip, 17, l4len))) != 0)
			bad("a wrong UDP checksum", len);
		break;
	case 1:
		if (l4len < 8 || fold(sum16(l4, l4len, 0)) != 0)
			bad("a short ICMP message or a wrong ICMP checksum", len);
		break;
	default:
		bad("an IP protocol the stack does not speak", len);
	}
}

/* The IPv4 header of an Ethernet frame, if the lengths allow: its length. */
static size_t ip_header(const uint8_t *f, size_t len)
{
	if (len < NET_ETH_HDR + 20 || be16(f + 12) != 0x0800)
		return 0;
	size_t hl = (size_t)(f[NET_ETH_HDR] & 15) * 4;
	return hl >= 20 && NET_ETH_HDR + hl <= len ? hl : 0;
}

void frame_fix_ip(uint8_t *f, size_t len)
{
	size_t hl = ip_header(f, len);
	uint8_t *ip = f + NET_ETH_HDR;
	if (!hl)
		return;
	ip[10] = ip[11] = 0;
	uint16_t c = fold(sum16(ip, hl, 0));
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
}

void frame_fix_l4(uint8_t *f, size_t len)
{
	size_t hl = ip_header(f, len);
	uint8_t *ip = f + NET_ETH_HDR;
	if (!hl || (be16(ip + 6) & 0x3fff))
		return;
	size_t tot = be16(ip + 2);
	if (tot < hl || NET_ETH_HDR + tot > len)
		return;
	uint8_t *l4 = ip + hl;
	size_t l4len = tot - hl;
	size_t at;
	uint32_t s;
	switch (ip[9]) {
	case 6:
		at = 16, s = pseudo(ip, 6, l4len);
		break;
	case 17:
		at = 6, s = pseudo(ip, 17, l4len);
		break;
	case 1:
		at = 2, s = 0;
		break;
	default:
		return;
	}
	if (l4len < at + 2)
		return;
	l4[at] = l4[at + 1] = 0;
	uint16_t c = fold(sum16(l4, l4len, s));
	if (ip[9] == 17 && c == 0)
		c = 0xffff;
	l4[at] = (uint8_t)(c >> 8);
	l4[at + 1] = (uint8_t)c;
}

void frame_trace(const char *dir, const uint8_t *f, size_t len)
{
	static int on = -1;
	if (on < 0)
		on = getenv("KEEL_NET_FUZZ_TRACE") != NULL;
	if (!on)
		return;
	fprintf(stderr, "%s %zu", dir, len);
	if (len >= 42 && be16(f + 12) == 0x0806) {
		fprintf(stderr, " arp op %u\n", be16(f + 20));
		return;
	}
	size_t hl = ip_header(f, len);
	if (!hl) {
		fprintf(stderr, " other\n");
		return;
	}
	const uint8_t *ip = f + NET_ETH_HDR, *l4 = ip + hl;
	size_t l4len = len - NET_ETH_HDR - hl;
	fprintf(stderr, " ipv4 %u.%u.%u.%u>%u.%u.%u.%u proto %u frag 0x%04x", ip[12], ip[13],
	        ip[14], ip[15], ip[16], ip[17], ip[18], ip[19], ip[9], be16(ip + 6));
	if (ip[9] == 6 && l4len >= 20 && !(be16(ip + 6) & 0x1fff))
		fprintf(stderr, " tcp %u>%u seq %u ack %u flags 0x%02x win %u data %zu", be16(l4),
		        be16(l4 + 2), (unsigned)(be16(l4 + 4) << 16 | be16(l4 + 6)),
		        (unsigned)(be16(l4 + 8) << 16 | be16(l4 + 10)), l4[13], be16(l4 + 14),
		        l4len - (size_t)(l4[12] >> 4) * 4);
	else if (ip[9] == 17 && l4len >= 8 && !(be16(ip + 6) & 0x1fff))
		fprintf(stderr, " udp %u>%u%s", be16(l4), be16(l4 + 2),
		        l4len >= 8 + 243 && be16(l4) == 68 ? " dhcp" : "");
	else if (ip[9] == 1 && l4len >= 4 && !(be16(ip + 6) & 0x1fff))
		fprintf(stderr, " icmp type %u", l4[0]);
	fprintf(stderr, "\n");
	if (ip[9] == 17 && l4len >= 8 + 243 && be16(l4) == 68) {
		/* DHCP message type: the first option 53 after the magic cookie. */
		for (size_t o = 8 + 240; o + 2 < l4len && l4[o] != 255;)
			if (l4[o] == 0) {
				o++;
			} else if (l4[o] == 53) {
				fprintf(stderr, "%s dhcp type %u\n", dir, l4[o + 2]);
				break;
			} else {
				o += 2u + l4[o + 1];
			}
	}
}
