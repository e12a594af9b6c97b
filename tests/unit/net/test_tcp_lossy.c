/*
 * lwIP as Keel builds it (apps/net/lwipopts.h, the host library): two
 * interfaces in one process, 10.0.0.1 (client) and 10.0.0.2 (server),
 * joined by the lossy in-memory link (link.c). A TCP client sends 1 MiB of
 * a known pattern; the server checks every byte in order and the FIN. The
 * link drops, corrupts and reorders frames from a fixed seed; time is
 * virtual (sys_now below), so a run takes well under a second of real time
 * and is the same run every time. A dead link must end in an error, not a
 * hang or a false pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#include "link.h"

#define XFER_BYTES (1024u * 1024u)

static struct netif nif_client, nif_server;
static struct link the_link;
static uint64_t rand_state = 0x1234567;

/* lwIP's OS glue (apps/net/sys_keel.c in a task): the virtual clock, and
 * seeded numbers so a failing run can be replayed. */
u32_t sys_now(void)
{
	return (u32_t)link_now_ms;
}

uint32_t keel_net_rand(void)
{
	rand_state = rand_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rand_state >> 33);
}

static uint8_t pattern(size_t off)
{
	return (uint8_t)(((uint32_t)off * 2654435761u) >> 13);
}

struct xfer {
	struct tcp_pcb *client, *server;
	size_t queued, received, mismatches;
	bool fin, client_err;
	err_t err;
};
static struct xfer x;

/* A closed connection lingers (FIN_WAIT, TIME_WAIT) into later runs: it
 * must not call back into the next run's state. */
static void detach(struct tcp_pcb *pcb)
{
	tcp_recv(pcb, NULL);
	tcp_err(pcb, NULL);
}

/* Server side: check each byte against the pattern at its stream offset. */
static err_t server_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	if (err != ERR_OK)
		return err;
	if (p == NULL) {
		x.fin = true;
		x.server = NULL;
		detach(pcb);
		return tcp_close(pcb);
	}
	for (struct pbuf *q = p; q != NULL; q = q->next) {
		const uint8_t *b = q->payload;
		for (u16_t i = 0; i < q->len; i++)
			x.mismatches += b[i] != pattern(x.received + i);
		x.received += q->len;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static void server_err(void *arg, err_t err)
{
	(void)arg;
	(void)err;
	x.server = NULL;
}

static err_t server_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	x.server = pcb;
	tcp_recv(pcb, server_recv);
	tcp_err(pcb, server_err);
	return ERR_OK;
}

static void client_err(void *arg, err_t err)
{
	(void)arg;
	x.client = NULL;
	x.client_err = true;
	x.err = err;
}

/* Client side: keep the send buffer full until the pattern is queued, then close. */
static void client_pump(void)
{
	static uint8_t chunk[TCP_MSS * 4];

	if (x.client == NULL)
		return;
	while (x.queued < XFER_BYTES) {
		size_t n = tcp_sndbuf(x.client);
		if (n > sizeof(chunk))
			n = sizeof(chunk);
		if (n > XFER_BYTES - x.queued)
			n = XFER_BYTES - x.queued;
		if (n == 0 || tcp_sndqueuelen(x.client) >= TCP_SND_QUEUELEN - 4)
			break;
		for (size_t i = 0; i < n; i++)
			chunk[i] = pattern(x.queued + i);
		if (tcp_write(x.client, chunk, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		x.queued += n;
	}
	if (x.queued == XFER_BYTES) {
		detach(x.client);
		if (tcp_close(x.client) == ERR_OK) {
			x.client = NULL;
			return;
		}
		tcp_err(x.client, client_err);
	}
	tcp_output(x.client);
}

static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)pcb;
	return err;
}

static err_t nif_init(struct netif *n)
{
	static uint8_t next_mac = 1;

	n->name[0] = 'l';
	n->name[1] = 'k';
	n->output = etharp_output;
	n->linkoutput = link_output;
	n->mtu = 1500;
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, (uint8_t[]){0x02, 0x4b, 0x65, 0x65, 0x6c, next_mac++}, ETH_HWADDR_LEN);
	n->flags =
	    NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	return ERR_OK;
}

static void add_nif(struct netif *n, const char *ip)
{
	ip4_addr_t addr, mask, gw;

	assert_true(ip4addr_aton(ip, &addr));
	IP4_ADDR(&mask, 255, 255, 255, 0);
	ip4_addr_set_zero(&gw);
	assert_non_null(netif_add(n, &addr, &mask, &gw, &the_link, nif_init, ethernet_input));
	netif_set_up(n);
}

static int group_setup(void **state)
{
	const struct link_params quiet = {.seed = 1, .delay_ms = 2};

	(void)state;
	lwip_init();
	/* Bringing an interface up sends a gratuitous ARP: the link must exist. */
	link_init(&the_link, &nif_client, &nif_server, &quiet);
	add_nif(&nif_client, "10.0.0.1");
	add_nif(&nif_server, "10.0.0.2");
	return 0;
}

/* Runs one transfer over a link with `p`, for at most `limit_ms` of virtual time. */
static void run_transfer(const struct link_params *p, uint64_t limit_ms)
{
	struct tcp_pcb *listener = tcp_new();
	ip_addr_t server_ip = IPADDR4_INIT_BYTES(10, 0, 0, 2);
	ip_addr_t client_ip = IPADDR4_INIT_BYTES(10, 0, 0, 1);
	uint64_t start = link_now_ms;
	/* A new port per run: the last run's connection may still be in TIME_WAIT. */
	static u16_t port = 7000;

	port++;

	memset(&x, 0, sizeof(x));
	link_init(&the_link, &nif_client, &nif_server, p);
	etharp_cleanup_netif(&nif_client);
	etharp_cleanup_netif(&nif_server);
	assert_non_null(listener);
	assert_int_equal(tcp_bind(listener, &server_ip, port), ERR_OK);
	listener = tcp_listen(listener);
	assert_non_null(listener);
	tcp_accept(listener, server_accept);

	x.client = tcp_new();
	assert_non_null(x.client);
	/* Bound to its own address, so it leaves through nif_client (apps/net/route.c). */
	assert_int_equal(tcp_bind(x.client, &client_ip, 0), ERR_OK);
	tcp_err(x.client, client_err);
	assert_int_equal(tcp_connect(x.client, &server_ip, port, client_connected), ERR_OK);

	while (!x.fin && !x.client_err && link_now_ms - start < limit_ms) {
		link_now_ms++;
		link_deliver(&the_link, link_now_ms);
		sys_check_timeouts();
		client_pump();
	}
	assert_int_equal(tcp_close(listener), ERR_OK);
	/* A run cut short by limit_ms leaves its connections open: end them. */
	if (x.client != NULL) {
		detach(x.client);
		tcp_abort(x.client);
	}
	if (x.server != NULL) {
		detach(x.server);
		tcp_abort(x.server);
	}
	printf(
	    "# seed %u loss %u/1000 corrupt %u/1000 reorder %u/1000: %zu bytes in %llu ms virtual; "
	    "frames sent %lu dropped %lu corrupted %lu held %lu overtaken %lu delivered %lu\n",
	    p->seed, p->loss_permille, p->corrupt_permille, p->reorder_permille, x.received,
	    (unsigned long long)(link_now_ms - start), the_link.st.sent, the_link.st.dropped,
	    the_link.st.corrupted, the_link.st.held, the_link.st.overtaken, the_link.st.delivered);
}

static void expect_complete(void)
{
	assert_false(x.client_err);
	assert_true(x.fin);
	assert_int_equal(x.received, XFER_BYTES);
	assert_int_equal(x.mismatches, 0);
}

static void test_clean_link_transfers_1mib(void **state)
{
	const struct link_params p = {.seed = 1, .delay_ms = 2};
	(void)state;
	run_transfer(&p, 60 * 1000);
	expect_complete();
}

static void test_loss_and_reordering_transfer_1mib_intact(void **state)
{
	const struct link_params p = {.seed = 17,
	                              .loss_permille = 100,
	                              .reorder_permille = 100,
	                              .delay_ms = 2,
	                              .reorder_ms = 20};
	(void)state;
	run_transfer(&p, 30 * 60 * 1000);
	expect_complete();
	assert_true(the_link.st.dropped > 0);
	assert_true(the_link.st.overtaken > 0);
}

/* A flipped bit anywhere past the Ethernet header is caught by the IP or
 * TCP checksum: the segment is dropped and resent, never delivered wrong. */
static void test_corrupted_frames_never_reach_the_stream(void **state)
{
	const struct link_params p = {.seed = 5, .corrupt_permille = 50, .delay_ms = 2};
	(void)state;
	run_transfer(&p, 30 * 60 * 1000);
	expect_complete();
	assert_true(the_link.st.corrupted > 0);
}

/* Nothing gets through: the connect attempt must end in an error (lwIP
 * gives up after TCP_SYNMAXRTX retries) with no byte delivered. */
static void test_dead_link_ends_in_error(void **state)
{
	const struct link_params p = {.seed = 3, .loss_permille = 1000, .delay_ms = 2};
	(void)state;
	run_transfer(&p, 30 * 60 * 1000);
	assert_true(x.client_err);
	assert_int_equal(x.err, ERR_ABRT);
	assert_false(x.fin);
	assert_int_equal(x.received, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_link_transfers_1mib),
	    cmocka_unit_test(test_loss_and_reordering_transfer_1mib_intact),
	    cmocka_unit_test(test_corrupted_frames_never_reach_the_stream),
	    cmocka_unit_test(test_dead_link_ends_in_error),
	};
	return cmocka_run_group_tests_name("net-lwip-tcp-lossy", tests, group_setup, NULL);
}
