/*
 * netstack's manifest arg= parser (apps/netstack/config.c) on fuzzed lines.
 * The line is measured, so this is the integrity of a trusted input, but
 * the parser must still never read past it and never accept what the rest
 * of the task cannot use. Invariants: a refusal has a reason (it may quote
 * a control byte of the line: keel_log escapes those); an
 * accepted line gives slots 1..63 and distinct, a unicast peer with a port,
 * and (static) a host address of its /1../30 subnet with another host of
 * it as the gateway; and the accepted config, written back as a line,
 * parses to the same config.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void fail(const char *why, const char *line)
{
	fprintf(stderr, "netstack-config: %s: \"%s\"\n", why, line);
	abort();
}

static int unicast(uint32_t a)
{
	return a >> 24 != 0 && a >> 24 != 127 && a >> 24 < 224;
}

static void quad(char *b, size_t n, uint32_t a)
{
	snprintf(b, n, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netstack_config c, again;
	char err[200], line[256], a[16], g[16], p[16];
	char *arg = malloc(size + 1);
	if (!arg)
		return 0;
	memcpy(arg, data, size);
	arg[size] = 0;
	memset(err, 'x', sizeof(err));
	if (netstack_config_parse(arg, &c, err, sizeof(err))) {
		if (!memchr(err, 0, sizeof(err)) || err[0] == 0)
			fail("refused without a reason", arg);
		free(arg);
		return 0;
	}
	if (c.dev < 1 || c.dev > 63 || c.serve < 1 || c.serve > 63 || c.dev == c.serve)
		fail("accepted slots outside 1..63 or equal", arg);
	if (!unicast(c.peer) || c.peer_port == 0)
		fail("accepted a peer that is not unicast, or port 0", arg);
	quad(p, sizeof(p), c.peer);
	if (c.dhcp) {
		snprintf(line, sizeof(line), "dev=%u serve=%u ip=dhcp peer=%s:%u", c.dev, c.serve,
		         p, c.peer_port);
	} else {
		uint32_t m = netstack_mask(c.prefix);
		if (c.prefix < 1 || c.prefix > 30 || !unicast(c.addr) || (c.addr & ~m) == 0 ||
		    (c.addr & ~m) == ~m)
			fail("accepted a static address that is not a host of its subnet", arg);
		if ((c.gw & m) != (c.addr & m) || c.gw == c.addr || (c.gw & ~m) == 0 ||
		    (c.gw & ~m) == ~m || c.peer == c.addr)
			fail("accepted a gateway outside the subnet, or ourselves as gateway or "
			     "peer",
			     arg);
		quad(a, sizeof(a), c.addr);
		quad(g, sizeof(g), c.gw);
		snprintf(line, sizeof(line), "dev=%u serve=%u ip=%s/%u gw=%s peer=%s:%u", c.dev,
		         c.serve, a, c.prefix, g, p, c.peer_port);
	}
	if (netstack_config_parse(line, &again, err, sizeof(err)) || memcmp(&c, &again, sizeof(c)))
		fail("the accepted config written back does not parse to itself", line);
	free(arg);
	return 0;
}
