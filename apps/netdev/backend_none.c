/*
 * The hosted backend: no network device (hosted tasks have no devices;
 * hosted attest-bridge speaks TCP itself). Every request answers
 * NET_ENODEV, said once at start.
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include "net_protocol.h"

int32_t net_backend_open(void)
{
	static const char line[] = "netdev: hosted: no network device; every request NET_ENODEV";
	keel_log(line, sizeof(line) - 1);
	return NET_ENODEV;
}

int32_t net_backend_send(const void *frame, uint32_t n)
{
	(void)frame;
	(void)n;
	return NET_ENODEV;
}

int32_t net_backend_recv(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	(void)buf;
	(void)max;
	(void)timeout_ms;
	*got = 0;
	return NET_ENODEV;
}

int32_t net_backend_info(uint8_t mac[6], uint16_t *mtu)
{
	memset(mac, 0, 6);
	*mtu = 0;
	return NET_ENODEV;
}

void net_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap, "no device");
}
