/*
 * The hosted backend: no stream device. Hosted, attest-bridge speaks TCP
 * to the broker itself (its kbs= argument), so consdev has nothing to
 * drive; every request answers STREAM_ENODEV, said once at start.
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "backend.h"
#include "stream_protocol.h"

int32_t stream_backend_open(void)
{
	static const char line[] = "consdev: hosted: no stream device (attest-bridge uses TCP "
	                           "hosted); every request STREAM_ENODEV";
	keel_log(line, sizeof(line) - 1);
	return STREAM_ENODEV;
}

int32_t stream_backend_write(const void *buf, uint32_t n)
{
	(void)buf;
	(void)n;
	return STREAM_ENODEV;
}

int32_t stream_backend_read(void *buf, uint32_t max, uint32_t timeout_ms, uint32_t *got)
{
	(void)buf;
	(void)max;
	(void)timeout_ms;
	*got = 0;
	return STREAM_ENODEV;
}

int32_t stream_backend_reset(uint32_t timeout_ms)
{
	(void)timeout_ms;
	return STREAM_ENODEV;
}

void stream_backend_report(char *line, unsigned long cap)
{
	snprintf(line, cap, "no device");
}
