/*
 * apps/netstack as a whole (every file but main.c: link, ipconf, pump,
 * tcp_conn, serve, config) on the fuzz-instrumented lwIP, its two peers
 * played from the input (session.h, fake_keel.c): frames from a hostile
 * network and requests from the stream client, in any order, with virtual
 * time. netstack must not crash, hang, leak or break the protocols it
 * speaks (checked by fake_keel.c on everything it sends); at the end the
 * client leaves, netstack closes its connection and lwIP's pools and heap
 * must be whole again (lwip_env.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lwip/init.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"

#include "config.h"
#include "ipconf.h"
#include "link.h"
#include "serve.h"
#include "tcp_conn.h"

#include "../net-frames/lwip_env.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct netstack_config cfg;
	unsigned long served = 0, refused = 0;
	char err[200];
	if (!once) {
		lwip_init();
		env_baseline();
		once = 1;
	}
	if (size == 0)
		return 0;
	const char *arg = data[0] & SESSION_DHCP
	                      ? "dev=1 serve=2 ip=dhcp peer=10.0.2.2:8080"
	                      : "dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.2 peer=10.0.2.2:8080";
	if (netstack_config_parse(arg, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "netstack-session: %s\n", err);
		abort();
	}
	/* The ephemeral port counters start again from the constant random
	 * number (tcp_init and udp_init do only that), so seeds know the port. */
	tcp_init();
	udp_init();
	session_start(data + 1, size - 1);
	conn_init(&cfg);
	if (link_open(DEV_SLOT) == 0)
		ipconf_start(&cfg);
	serve(SERVE_SLOT, &served, &refused);
	conn_shutdown();
	env_teardown(link_netif());
	return 0;
}
