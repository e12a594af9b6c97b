/*
 * The interface's address: static from the manifest, or lwIP's DHCP client.
 * Logs "netstack: address A.B.C.D/N gateway G (dhcp|static)" when one is
 * set (again if a renewed lease changes it), and one line when DHCP has
 * no lease after IPCONF_DHCP_WARN_MS (it keeps asking).
 */
#ifndef NETSTACK_IPCONF_H
#define NETSTACK_IPCONF_H

#include "config.h"

#define IPCONF_DHCP_WARN_MS 15000u

void ipconf_start(const struct netstack_config *cfg);
/* 1 once the interface has an address. */
int ipconf_ready(void);
/* After lwIP ran: logs a new address or the missing lease. */
void ipconf_watch(void);

#endif
