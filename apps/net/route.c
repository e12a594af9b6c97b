/*
 * Source-address routing for lwIP (LWIP_HOOK_IP4_ROUTE_SRC, lwipopts.h):
 * a packet whose source is one of our interface addresses leaves through
 * that interface (the "strong host" model). With one interface this
 * changes nothing; with two (the hosted link test, or a later second NIC)
 * it keeps a connection on the interface its address belongs to instead of
 * lwIP's first-matching-subnet choice. Returning NULL lets lwIP route.
 */
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

#include "keel_net_hooks.h"

struct netif *keel_net_route_src(const ip4_addr_t *src, const ip4_addr_t *dest)
{
	struct netif *netif;

	(void)dest;
	if (src == NULL || ip4_addr_isany(src))
		return NULL;
	NETIF_FOREACH(netif)
	{
		if (netif_is_up(netif) && netif_is_link_up(netif) &&
		    ip4_addr_cmp(src, netif_ip4_addr(netif)))
			return netif;
	}
	return NULL;
}
