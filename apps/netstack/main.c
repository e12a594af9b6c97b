/*
 * netstack: the TCP/IP stack task of issue 17 (README.md). lwIP (NO_SYS,
 * raw API) over netdev's frame channel, serving the byte-stream protocol
 * to one client as one TCP connection at a time to the one peer its
 * manifest arg names. It holds no DMA, no device and no keys: it parses
 * hostile network input, and whatever the client needs secret it protects
 * end to end (the bridge's TLS).
 */
#include <stdint.h>

#include <keel/syscall.h>

#include "lwip/init.h"

#include "config.h"
#include "ipconf.h"
#include "link.h"
#include "serve.h"
#include "tcp_conn.h"

int main(int argc, char **argv)
{
	struct netstack_config cfg;
	char err[160], link_counters[120], conn_counters[120];
	unsigned long served = 0, refused = 0;
	int rc;

	if (netstack_config_parse(argc > 1 ? argv[1] : "", &cfg, err, sizeof(err))) {
		keel_logf("netstack: bad configuration (manifest arg=): %s", err);
		return 1;
	}
	lwip_init();
	conn_init(&cfg);
	if (link_open((keel_handle_t)cfg.dev) == 0)
		ipconf_start(&cfg);
	keel_logf("netstack: peer %u.%u.%u.%u:%u", cfg.peer >> 24, cfg.peer >> 16 & 255,
	          cfg.peer >> 8 & 255, cfg.peer & 255, cfg.peer_port);
	rc = serve((keel_handle_t)cfg.serve, &served, &refused);
	conn_shutdown();
	link_report(link_counters, sizeof(link_counters));
	conn_report(conn_counters, sizeof(conn_counters));
	keel_logf("netstack: client gone after %lu requests (%lu refused); %s; %s", served, refused,
	          conn_counters, link_counters);
	return rc;
}
