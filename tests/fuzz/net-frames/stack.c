/*
 * lwIP in a known state for every fuzz input (net_fuzz.h): one Ethernet
 * netif 10.0.2.15/24 via 10.0.2.2, an ARP entry for the gateway, a
 * listener on port 80 that echoes, a client connection to 10.0.2.2:8080
 * (SYN sent, or established by a crafted SYN-ACK), and optionally a DHCP
 * client. After the input everything is torn down and lwIP's own pools
 * and heap must be back where they started (lwip_env.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "netif/ethernet.h"

#include "lwip_env.h"
#include "net_fuzz.h"

static struct netif nif;
static struct tcp_pcb *client, *listener;
static int refuse, hold;

static err_t sink(struct netif *n, struct pbuf *p)
{
	static uint8_t f[65536]; /* tot_len is 16 bits; frame_check_out judges the length */
	(void)n;
	uint16_t len = pbuf_copy_partial(p, f, p->tot_len, 0);
	frame_trace("out", f, len);
	frame_check_out(f, len);
	return ERR_OK;
}

static err_t nif_init(struct netif *n)
{
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->output = etharp_output;
	n->linkoutput = sink;
	n->mtu = 1500;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, fuzz_our_mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

/* Data taken: echoed by the server side when there is room, then the
 * window reopened (unless the input holds it shut) or refused outright. */
static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)err;
	if (p == NULL) {
		if (pcb == client)
			client = NULL;
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_err(pcb, NULL);
		if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	if (refuse)
		return ERR_MEM;
	if (arg != NULL && tcp_sndbuf(pcb) >= p->tot_len) {
		for (struct pbuf *q = p; q != NULL; q = q->next)
			if (tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY) != ERR_OK)
				break;
		tcp_output(pcb);
	}
	if (!hold)
		tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static void on_client_err(void *arg, err_t err)
{
	(void)arg;
	(void)err;
	client = NULL; /* lwIP freed it */
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)pcb;
	return err;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	tcp_arg(pcb, pcb); /* non-NULL: echo */
	tcp_recv(pcb, on_recv);
	return ERR_OK;
}

void stack_once(void)
{
	lwip_init();
	env_baseline();
}

/* A frame from the gateway to us: Ethernet + IPv4 + TCP with the MSS option. */
static void syn_ack(uint32_t ack)
{
	uint8_t f[14 + 20 + 24] = {0};
	uint8_t *ip = f + 14, *t = ip + 20;
	memcpy(f, fuzz_our_mac, 6);
	memcpy(f + 6, fuzz_gw_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = 44;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, (const uint8_t[]){10, 0, 2, 2, 10, 0, 2, 15}, 8);
	t[0] = FUZZ_PEER_PORT >> 8, t[1] = FUZZ_PEER_PORT & 0xff;
	t[2] = FUZZ_CLIENT_PORT >> 8, t[3] = FUZZ_CLIENT_PORT & 0xff;
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(FUZZ_SERVER_ISN >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 6 << 4;
	t[13] = 0x12; /* SYN ACK */
	t[14] = 0xff, t[15] = 0xff;
	t[20] = 2, t[21] = 4, t[22] = 1460 >> 8, t[23] = 1460 & 0xff;
	frame_fix_ip(f, sizeof(f));
	frame_fix_l4(f, sizeof(f));
	stack_input(f, sizeof(f));
}

/* An ARP reply from the gateway to us: lwIP learns the gateway's MAC. */
static void arp_reply(void)
{
	uint8_t f[42] = {0};
	memcpy(f, fuzz_our_mac, 6);
	memcpy(f + 6, fuzz_gw_mac, 6);
	memcpy(f + 12, (const uint8_t[]){0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2}, 10);
	memcpy(f + 22, fuzz_gw_mac, 6);
	memcpy(f + 28, (const uint8_t[]){10, 0, 2, 2}, 4);
	memcpy(f + 32, fuzz_our_mac, 6);
	memcpy(f + 38, (const uint8_t[]){10, 0, 2, 15}, 4);
	stack_input(f, sizeof(f));
}

void stack_setup(unsigned mode)
{
	ip4_addr_t ip, mask, gw, peer;
	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	IP4_ADDR(&peer, 10, 0, 2, 2);
	refuse = hold = 0;
	if (netif_add(&nif, &ip, &mask, &gw, NULL, nif_init, ethernet_input) == NULL)
		abort();
	netif_set_default(&nif);
	netif_set_up(&nif);
	netif_set_link_up(&nif);
	if (!(mode & MODE_NO_ARP))
		arp_reply();
	listener = tcp_new();
	if (listener == NULL || tcp_bind(listener, IP4_ADDR_ANY, FUZZ_LISTEN_PORT) != ERR_OK)
		abort();
	listener = tcp_listen(listener);
	if (listener == NULL)
		abort();
	tcp_accept(listener, on_accept);
	client = tcp_new();
	if (client == NULL || tcp_bind(client, &ip, FUZZ_CLIENT_PORT) != ERR_OK)
		abort();
	tcp_recv(client, on_recv);
	tcp_err(client, on_client_err);
	if (tcp_connect(client, &peer, FUZZ_PEER_PORT, on_connected) != ERR_OK)
		abort();
	if ((mode & MODE_ESTABLISH) && !(mode & MODE_NO_ARP)) {
		syn_ack(client->snd_nxt);
		if (client == NULL || client->state != ESTABLISHED) {
			fprintf(
			    stderr,
			    "net-frames: the crafted SYN-ACK did not establish the connection\n");
			abort();
		}
	}
	if ((mode & MODE_DHCP) && dhcp_start(&nif) != ERR_OK)
		abort();
}

void stack_input(const uint8_t *frame, size_t len)
{
	frame_trace("in", frame, len);
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (p == NULL)
		return; /* the pool is empty: the driver drops the frame */
	if (pbuf_take(p, frame, (u16_t)len) != ERR_OK)
		abort();
	if (nif.input(p, &nif) != ERR_OK)
		pbuf_free(p);
}

void stack_advance(uint32_t ms)
{
	env_advance(ms);
}

void stack_app(unsigned flags)
{
	static const char data[1000] = "GET / HTTP/1.1\r\n";
	if (flags & APP_REFUSE)
		refuse = !refuse;
	if (flags & APP_HOLD)
		hold = !hold;
	if ((flags & APP_WRITE) && client != NULL && client->state == ESTABLISHED) {
		u16_t n = tcp_sndbuf(client) < sizeof(data) ? tcp_sndbuf(client) : sizeof(data);
		if (n > 0 && tcp_write(client, data, n, TCP_WRITE_FLAG_COPY) == ERR_OK)
			tcp_output(client);
	}
	if ((flags & APP_CLOSE) && client != NULL) {
		struct tcp_pcb *c = client;
		client = NULL;
		tcp_arg(c, NULL);
		tcp_recv(c, NULL);
		tcp_err(c, NULL);
		if (tcp_close(c) != ERR_OK)
			tcp_abort(c);
	}
}

void stack_teardown(void)
{
	if (client != NULL) {
		tcp_err(client, NULL);
		client = NULL;
	}
	if (listener != NULL && tcp_close(listener) != ERR_OK)
		abort();
	listener = NULL;
	env_teardown(&nif);
}
