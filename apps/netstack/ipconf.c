/*
 * Static address or DHCP (ipconf.h). DHCP is lwIP's client (RFC 2131;
 * DHCP_DOES_ARP_CHECK off, docs/net.md); its retries and renewals run on
 * lwIP's timers, which the task's loop keeps running.
 */
#include "ipconf.h"

#include <keel/syscall.h>

#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"

#include "link.h"
#include "netstack.h"

static struct {
	int dhcp;
	uint64_t started_ms;
	int warned;
	uint32_t logged; /* the address last logged (network order), 0: none */
} I;

static unsigned prefix_of(uint32_t mask_host)
{
	unsigned n = 0;
	while (n < 32 && (mask_host & (0x80000000u >> n)))
		n++;
	return n;
}

static void log_address(void)
{
	struct netif *n = link_netif();
	uint32_t a = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(n)));
	uint32_t m = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(n)));
	uint32_t g = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(n)));

	keel_logf("netstack: address %u.%u.%u.%u/%u gateway %u.%u.%u.%u (%s)", a >> 24,
	          a >> 16 & 255, a >> 8 & 255, a & 255, prefix_of(m), g >> 24, g >> 16 & 255,
	          g >> 8 & 255, g & 255, I.dhcp ? "dhcp" : "static");
	I.logged = ip4_addr_get_u32(netif_ip4_addr(n));
}

void ipconf_start(const struct netstack_config *cfg)
{
	struct netif *n = link_netif();
	I.dhcp = cfg->dhcp;
	I.started_ms = now_ms();
	if (!cfg->dhcp) {
		ip4_addr_t a, m, g;
		ip4_addr_set_u32(&a, lwip_htonl(cfg->addr));
		ip4_addr_set_u32(&m, lwip_htonl(netstack_mask(cfg->prefix)));
		ip4_addr_set_u32(&g, lwip_htonl(cfg->gw));
		netif_set_addr(n, &a, &m, &g);
		log_address();
		return;
	}
	if (dhcp_start(n) != ERR_OK)
		keel_logf("netstack: dhcp_start failed: no address");
}

int ipconf_ready(void)
{
	struct netif *n = link_netif();
	if (link_status() != 0 || ip4_addr_isany_val(*netif_ip4_addr(n)))
		return 0;
	return !I.dhcp || dhcp_supplied_address(n);
}

void ipconf_watch(void)
{
	if (!I.dhcp || link_status() != 0)
		return;
	if (ipconf_ready()) {
		if (ip4_addr_get_u32(netif_ip4_addr(link_netif())) != I.logged)
			log_address();
		return;
	}
	I.logged = 0;
	if (!I.warned && now_ms() - I.started_ms >= IPCONF_DHCP_WARN_MS) {
		I.warned = 1;
		keel_logf("netstack: no DHCP lease after %u s (still asking; connections wait for "
		          "an address)",
		          IPCONF_DHCP_WARN_MS / 1000);
	}
}
