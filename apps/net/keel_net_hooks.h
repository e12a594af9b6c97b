/*
 * lwIP hook declarations (LWIP_HOOK_FILENAME in lwipopts.h): included by
 * lwIP's own sources after its headers, so the lwIP types are known.
 */
#ifndef KEEL_NET_HOOKS_H
#define KEEL_NET_HOOKS_H

#include "lwip/ip4_addr.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"

struct netif *keel_net_route_src(const ip4_addr_t *src, const ip4_addr_t *dest);
/* tcp_isn.c: a random ISN per connection (LWIP_HOOK_TCP_ISN). */
u32_t keel_net_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                       u16_t remote_port);

#endif
