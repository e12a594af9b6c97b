/*
 * The TCP connection (tcp_conn.h) on lwIP's raw API. lwIP calls back into
 * conn_connected / conn_recv / conn_err from inside pump(); they only
 * record what happened, and the operations below look at it after each
 * pump. Unread input stays in lwIP's pbufs (at most the receive window,
 * TCP_WND) and the window opens only as the client reads (tcp_recved):
 * a client that stops reading stops the peer.
 */
#include "tcp_conn.h"

#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "lwip/ip4_addr.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h" /* TCP_SLOW_INTERVAL */
#include "lwip/tcp.h"

#include "../consdev/stream_protocol.h"
#include "../netdev/net_protocol.h"
#include "ipconf.h"
#include "link.h"
#include "netstack.h"

enum conn_state { CONN_NONE, CONN_CONNECTING, CONN_OPEN, CONN_CLOSED };

static struct {
	ip4_addr_t peer;
	uint16_t port;
	enum conn_state state;
	struct tcp_pcb *pcb; /* NULL once lwIP freed it or we let it go */
	struct pbuf *rx;     /* unread input */
	int fin, rst;        /* what the peer did (rst: the pcb is gone) */
	err_t rst_err;       /* why: ERR_RST from the peer, else lwIP gave up */
	unsigned long opened, failed, fins, rsts;
} C;

static int32_t link_down_status(void)
{
	return link_status() == NET_ENODEV ? STREAM_ENODEV : STREAM_EIO;
}

void conn_init(const struct netstack_config *cfg)
{
	ip4_addr_set_u32(&C.peer, lwip_htonl(cfg->peer));
	C.port = cfg->peer_port;
}

static err_t conn_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)pcb;
	if (C.state == CONN_CONNECTING && err == ERR_OK) {
		C.state = CONN_OPEN;
		C.opened++;
	}
	return ERR_OK;
}

static err_t conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)pcb;
	(void)err;
	if (p == NULL) {
		C.fin = 1;
		return ERR_OK;
	}
	if (C.rx == NULL) {
		C.rx = p;
		return ERR_OK;
	}
	/* pbuf lengths are 16-bit; lwIP keeps refused data and offers it again. */
	if ((uint32_t)C.rx->tot_len + p->tot_len > 0xffffu)
		return ERR_MEM;
	pbuf_cat(C.rx, p);
	return ERR_OK;
}

/* The pcb is gone (RST, or lwIP gave up): lwIP freed it already. */
static void conn_err(void *arg, err_t err)
{
	(void)arg;
	C.pcb = NULL;
	C.rst = 1;
	C.rst_err = err;
}

/* Lets the pcb go: a FIN (or an abort when lwIP cannot close), no callbacks. */
static void conn_release(void)
{
	struct tcp_pcb *pcb = C.pcb;
	if (pcb == NULL)
		return;
	C.pcb = NULL;
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_err(pcb, NULL);
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

static void conn_drop(void)
{
	conn_release();
	if (C.rx)
		pbuf_free(C.rx);
	C.rx = NULL;
	C.fin = C.rst = 0;
	C.rst_err = ERR_OK;
	C.state = CONN_NONE;
}

void conn_settle(void)
{
	if (C.state == CONN_OPEN && (C.fin || C.rst)) {
		C.state = CONN_CLOSED;
		if (C.rst) {
			C.rsts++;
			keel_logf("netstack: connection %lu reset by the peer", C.opened);
		} else {
			C.fins++;
		}
		/* Input before the FIN is ours now: a full window lets tcp_close
		 * answer the FIN with a FIN, not a RST for unread data. */
		if (C.pcb != NULL && C.rx != NULL)
			tcp_recved(C.pcb, C.rx->tot_len);
		conn_release();
	}
}

/* Waits (running lwIP) for an address, up to deadline. */
static int wait_address(uint64_t deadline)
{
	while (!ipconf_ready() && link_status() == 0 && ms_left(deadline) > 0)
		pump(ms_left(deadline));
	return ipconf_ready();
}

static int32_t conn_open(uint32_t timeout_ms)
{
	uint64_t deadline = now_ms() + (timeout_ms ? timeout_ms : CONN_OPEN_MS);
	ip_addr_t peer;

	conn_drop();
	if (!wait_address(deadline)) {
		C.failed++;
		if (link_status() != 0)
			return link_down_status();
		keel_logf("netstack: connect: no address yet");
		return STREAM_EIO;
	}
	C.pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
	if (C.pcb == NULL) {
		C.failed++;
		return STREAM_EIO;
	}
	/* RFC 6298 2.1: the first retransmission after 1 s, as Linux does;
	 * lwIP starts at 3 s (and keeps 3 s for every SYN), so one lost segment
	 * early in a TLS handshake cost 3-12 s, past a strict broker's
	 * handshake deadline (hosted/net-lossy). Later RTOs come from lwIP's
	 * own RTT estimate. */
	C.pcb->rto = C.pcb->sv = (s16_t)(1000 / TCP_SLOW_INTERVAL);
	tcp_arg(C.pcb, NULL);
	tcp_recv(C.pcb, conn_recv);
	tcp_err(C.pcb, conn_err);
	ip_addr_copy_from_ip4(peer, C.peer);
	C.state = CONN_CONNECTING;
	if (tcp_connect(C.pcb, &peer, C.port, conn_connected) != ERR_OK) {
		conn_drop();
		C.failed++;
		return STREAM_EIO;
	}
	while (C.state == CONN_CONNECTING && !C.rst && link_status() == 0 && ms_left(deadline) > 0)
		pump(ms_left(deadline));
	/* Established, perhaps closed again already (conn_settle): OPEN or CLOSED. */
	if (C.state != CONN_CONNECTING)
		return STREAM_OK;
	/* A RST answers the SYN: refused. lwIP giving up after its SYN
	 * retries, or our deadline: timed out. */
	int refused = C.rst && C.rst_err == ERR_RST;
	conn_drop();
	C.failed++;
	if (link_status() != 0)
		return link_down_status();
	keel_logf("netstack: connect to the peer: %s", refused ? "refused" : "timed out");
	return refused ? STREAM_EIO : STREAM_ETIMEDOUT;
}

int32_t conn_reset(uint32_t timeout_ms)
{
	if (link_status() != 0)
		return link_down_status();
	return conn_open(timeout_ms);
}

/* Opens the first connection on the first READ or WRITE. */
static int32_t conn_ready(void)
{
	if (link_status() != 0)
		return link_down_status();
	if (C.state == CONN_NONE)
		return conn_open(0);
	return STREAM_OK;
}

/* Bytes lwIP takes now: send-buffer space and room in its segment queue. */
static uint32_t send_room(void)
{
	if (C.pcb == NULL || tcp_sndqueuelen(C.pcb) >= TCP_SND_QUEUELEN - 2)
		return 0;
	return tcp_sndbuf(C.pcb);
}

int32_t conn_write(const uint8_t *data, uint32_t len, uint32_t *count)
{
	uint64_t deadline = now_ms() + CONN_WRITE_MS;
	int32_t s = conn_ready();

	*count = 0;
	if (s != STREAM_OK)
		return s;
	while (*count < len) {
		uint32_t k = send_room();
		if (link_status() != 0)
			return link_down_status();
		if (C.state != CONN_OPEN || C.pcb == NULL)
			return STREAM_ECLOSED;
		if (k > len - *count)
			k = len - *count;
		if (k > 0) {
			err_t e = tcp_write(C.pcb, data + *count, (u16_t)k, TCP_WRITE_FLAG_COPY);
			if (e == ERR_OK) {
				*count += k;
				continue;
			}
			if (e != ERR_MEM)
				return STREAM_EIO;
		}
		tcp_output(C.pcb);
		if (ms_left(deadline) == 0)
			return STREAM_ETIMEDOUT;
		pump(ms_left(deadline));
	}
	if (C.pcb != NULL)
		tcp_output(C.pcb);
	return STREAM_OK;
}

int32_t conn_read(uint8_t *buf, uint32_t max, uint32_t timeout_ms, uint32_t *count)
{
	uint64_t deadline = now_ms() + timeout_ms;
	int32_t s = conn_ready();
	int looked = 0;

	*count = 0;
	if (s != STREAM_OK)
		return s;
	for (;;) {
		if (C.rx != NULL) {
			uint16_t n = pbuf_copy_partial(C.rx, buf, (u16_t)max, 0);
			C.rx = pbuf_free_header(C.rx, n);
			if (C.pcb != NULL)
				tcp_recved(C.pcb, n);
			*count = n;
			return STREAM_OK;
		}
		if (C.state == CONN_CLOSED)
			return STREAM_ECLOSED;
		if (link_status() != 0)
			return link_down_status();
		if (looked && ms_left(deadline) == 0)
			return STREAM_ETIMEDOUT;
		pump(ms_left(deadline));
		looked = 1;
	}
}

void conn_shutdown(void)
{
	conn_drop();
}

void conn_report(char *buf, size_t len)
{
	snprintf(buf, len, "%lu connections, %lu failed, %lu closed by the peer, %lu reset",
	         C.opened, C.failed, C.fins, C.rsts);
}
