/*
 * The netif over netdev (link.h). Every reply from netdev is checked
 * against the request it answers (op, length, status) before a byte of it
 * is used; a frame is untrusted input handed to lwIP's ethernet_input,
 * which checks it further. netdev gone or broken: the link is marked
 * unusable once, logged, and every later stream request says so.
 */
#include "link.h"

#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include "../netdev/net_protocol.h"

#define ETH_MIN_FRAME 60u /* without the FCS: shorter frames are padded (IEEE 802.3 §3.2.8) */

static struct {
	keel_handle_t dev;
	int32_t status;
	struct netif netif;
	unsigned long in, out, dropped, bad_replies;
} L = {.status = NET_EIO};

static uint8_t tx[sizeof(struct net_req) + NET_FRAME_MAX];
static uint8_t rx[sizeof(struct net_rsp) + NET_FRAME_MAX];

static void link_fail(int32_t status, const char *what, long detail)
{
	if (L.status != NET_OK)
		return;
	L.status = status == NET_ENODEV ? NET_ENODEV : NET_EIO;
	keel_logf("netstack: netdev %s (%ld): the network is down", what, detail);
}

int32_t link_status(void)
{
	return L.status;
}

struct netif *link_netif(void)
{
	return &L.netif;
}

/* One call to netdev; the reply's length, or -1 (the link is marked down). */
static long link_call(uint32_t op, const void *req, size_t len, size_t min_reply)
{
	long n = keel_chan_call(L.dev, req, len, rx, sizeof(rx));
	struct net_rsp r;
	if (n < 0) {
		link_fail(NET_EIO, "channel failed", n);
		return -1;
	}
	if ((size_t)n < min_reply) {
		L.bad_replies++;
		link_fail(NET_EIO, "sent a short reply", n);
		return -1;
	}
	memcpy(&r, rx, sizeof(r));
	if (r.hdr.op != op || (size_t)n != sizeof(struct keel_msg) + r.hdr.len) {
		L.bad_replies++;
		link_fail(NET_EIO, "sent a malformed reply", (long)r.hdr.op);
		return -1;
	}
	return n;
}

static err_t link_output(struct netif *netif, struct pbuf *p)
{
	struct net_req req = {{NET_OP_SEND, 0}, 0, 0};
	size_t len = p->tot_len;
	struct net_rsp r;

	(void)netif;
	if (L.status != NET_OK)
		return ERR_IF;
	if (len < NET_FRAME_MIN || len > NET_FRAME_MAX) {
		L.dropped++;
		return ERR_IF;
	}
	if (pbuf_copy_partial(p, tx + sizeof(req), (u16_t)len, 0) != len)
		return ERR_BUF;
	if (len < ETH_MIN_FRAME) {
		memset(tx + sizeof(req) + len, 0, ETH_MIN_FRAME - len);
		len = ETH_MIN_FRAME;
	}
	req.hdr.len = (uint32_t)(sizeof(req) - sizeof(req.hdr) + len);
	memcpy(tx, &req, sizeof(req));
	if (link_call(NET_OP_SEND, tx, sizeof(req) + len, sizeof(r)) < 0)
		return ERR_IF;
	memcpy(&r, rx, sizeof(r));
	if (r.status != NET_OK) {
		if (r.status != NET_ETIMEDOUT)
			link_fail(r.status, "refused a frame", r.status);
		L.dropped++;
		return ERR_IF;
	}
	L.out++;
	return ERR_OK;
}

int link_poll(uint32_t timeout_ms)
{
	struct net_req req = {{NET_OP_RECV, sizeof(req) - sizeof(struct keel_msg)}, timeout_ms, 0};
	struct net_rsp r;
	struct pbuf *p;
	long n;

	if (L.status != NET_OK)
		return -1;
	n = link_call(NET_OP_RECV, &req, sizeof(req), sizeof(r));
	if (n < 0)
		return -1;
	memcpy(&r, rx, sizeof(r));
	if (r.status == NET_ETIMEDOUT && r.len == 0 && (size_t)n == sizeof(r))
		return 0;
	if (r.status != NET_OK) {
		link_fail(r.status, "RECV failed", r.status);
		return -1;
	}
	if (r.len < NET_FRAME_MIN || r.len > NET_FRAME_MAX || (size_t)n != sizeof(r) + r.len) {
		L.bad_replies++;
		link_fail(NET_EIO, "sent a frame of a bad length", (long)r.len);
		return -1;
	}
	p = pbuf_alloc(PBUF_RAW, (u16_t)r.len, PBUF_POOL);
	if (p == NULL) {
		L.dropped++; /* lwIP's pool is full: TCP retransmits, as on a busy wire */
		return 1;
	}
	if (pbuf_take(p, rx + sizeof(r), (u16_t)r.len) != ERR_OK ||
	    L.netif.input(p, &L.netif) != ERR_OK) {
		pbuf_free(p);
		L.dropped++;
		return 1;
	}
	L.in++;
	return 1;
}

static uint16_t info_mtu;
static uint8_t info_mac[6];

static err_t link_netif_init(struct netif *netif)
{
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = link_output;
	netif->mtu = info_mtu;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, info_mac, sizeof(info_mac));
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

int32_t link_open(keel_handle_t dev)
{
	struct net_req req = {{NET_OP_INFO, sizeof(req) - sizeof(struct keel_msg)}, 0, 0};
	struct net_rsp r;

	L.dev = dev;
	L.status = NET_OK;
	if (link_call(NET_OP_INFO, &req, sizeof(req), sizeof(r)) < 0)
		return L.status;
	memcpy(&r, rx, sizeof(r));
	if (r.status == NET_ENODEV) {
		L.status = NET_ENODEV;
		keel_logf("netstack: netdev has no device (NET_ENODEV): every stream request "
		          "STREAM_ENODEV");
		return L.status;
	}
	if (r.status != NET_OK || r.mtu < 576 || r.mtu > NET_MTU_DEFAULT || (r.mac[0] & 1)) {
		link_fail(NET_EIO, "INFO refused or out of range", r.status ? r.status : r.mtu);
		return L.status;
	}
	info_mtu = r.mtu;
	memcpy(info_mac, r.mac, sizeof(info_mac));
	if (netif_add(&L.netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4, NULL, link_netif_init,
	              ethernet_input) == NULL) {
		link_fail(NET_EIO, "netif_add failed", 0);
		return L.status;
	}
	netif_set_default(&L.netif);
	netif_set_up(&L.netif);
	netif_set_link_up(&L.netif);
	keel_logf("netstack: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u", r.mac[0], r.mac[1],
	          r.mac[2], r.mac[3], r.mac[4], r.mac[5], r.mtu);
	return NET_OK;
}

void link_report(char *buf, size_t len)
{
	snprintf(buf, len, "%lu frames in, %lu out, %lu dropped, %lu bad replies", L.in, L.out,
	         L.dropped, L.bad_replies);
}
