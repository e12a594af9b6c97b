/* Writes seed inputs for the vtpm-request fuzzer: one valid SVSM_VTPM_CMD
 * call (TPM2_Startup), a query, a platform signal and a ping, into DIR. */
#include <stdio.h>
#include <string.h>

#include "../../../apps/vtpm/request.h"

static int put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, n, f) != n)
		return 1;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	static uint8_t msg[sizeof(struct keel_svsm_call) + VTPM_BUFFER_SIZE];
	static const uint8_t startup[12] = {0x80, 1, 0, 0, 0, 12, 0, 0, 1, 0x44, 0, 0};
	struct keel_svsm_call c;
	if (argc != 2)
		return 2;
	memset(&c, 0, sizeof(c));
	c.hdr.op = KEEL_OP_SVSM_CALL;
	c.hdr.len = sizeof(c) - 8 + VTPM_BUFFER_SIZE;
	c.call = SVSM_VTPM_CMD;
	c.buf_len = VTPM_BUFFER_SIZE;
	memcpy(msg, &c, sizeof(c));
	uint8_t *page = msg + sizeof(c);
	page[0] = 8;
	page[5] = sizeof(startup);
	memcpy(page + 9, startup, sizeof(startup));
	int bad = put(argv[1], "cmd-startup", msg, sizeof(msg));
	c.hdr.len = sizeof(c) - 8;
	c.call = SVSM_VTPM_QUERY;
	c.buf_len = 0;
	bad |= put(argv[1], "query", &c, sizeof(c));
	uint8_t sig[12] = {0, 1, 0, 0, 4, 0, 0, 0, 17, 0, 0, 0};
	bad |= put(argv[1], "signal-reset", sig, sizeof(sig));
	uint8_t ping[8] = {1, 0, 0, 0, 0, 0, 0, 0};
	bad |= put(argv[1], "ping", ping, sizeof(ping));
	return bad;
}
