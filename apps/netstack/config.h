/*
 * netstack's configuration: the manifest's arg= (measured), e.g.
 * "dev=1 serve=2 ip=dhcp peer=10.0.2.2:8080" or
 * "dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.2 peer=10.0.2.2:8080".
 * The peer is the only host netstack ever connects to. Pure: no lwIP, no
 * syscalls (tests/unit/netstack/test_config.c).
 */
#ifndef NETSTACK_CONFIG_H
#define NETSTACK_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 addresses in host byte order: 10.0.2.15 is 0x0a00020f. */
struct netstack_config {
	unsigned dev;    /* netdev's frame channel slot (net_protocol.h) */
	unsigned serve;  /* the stream server slot (stream_protocol.h) */
	int dhcp;        /* 1: ip=dhcp (the default); 0: the static address below */
	uint32_t addr;   /* static: our address */
	unsigned prefix; /* static: 1..30 */
	uint32_t gw;     /* static: the gateway, inside addr/prefix */
	uint32_t peer;   /* the one host we connect to */
	uint16_t peer_port;
};

/* 0 and *c filled, or -1 with a one-line reason in err. */
int netstack_config_parse(const char *arg, struct netstack_config *c, char *err, size_t errlen);

/* The netmask of a prefix length 0..32. */
uint32_t netstack_mask(unsigned prefix);

#endif
