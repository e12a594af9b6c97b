/*
 * TCP initial sequence numbers for lwIP (LWIP_HOOK_TCP_ISN, lwipopts.h).
 * Without the hook lwIP 2.1.3 uses `iss = 6510; iss += tcp_ticks` (tcp.c,
 * tcp_next_iss): an off-path host that can guess the ISN can inject into or
 * reset the bridge's broker connection. Each connection takes a fresh
 * number from keel_net_rand() (the kernel's random source in a task,
 * apps/net/sys_keel.c). RFC 6528's clock component only protects a reused
 * four-tuple against old duplicates; lwIP picks a new ephemeral port for
 * every connection, so the tuple is not reused while the peer remembers it.
 */
#include <stdint.h>

#include "lwip/ip_addr.h"

#include "keel_net_hooks.h"

u32_t keel_net_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                       u16_t remote_port)
{
	(void)local_ip;
	(void)local_port;
	(void)remote_ip;
	(void)remote_port;
	return keel_net_rand();
}
