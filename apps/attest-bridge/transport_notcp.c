/* Booted Keel has no network stack: kbs=HOST:PORT is a hosted-only transport. */
#include "transport.h"

int transport_tcp_init(struct transport *t, const char *host, unsigned port)
{
	(void)t;
	(void)host;
	(void)port;
	return -1;
}
