/* storaged-client MODE [ARG]: see sc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

static unsigned checks, failed;

void sc_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	keel_log(line, strlen(line));
}

int sc_check(int ok, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	checks++;
	failed += !ok;
	sc_log("check %s: %s", ok ? "ok" : "FAIL", what);
	return ok;
}

int sc_summary(void)
{
	sc_log("summary: %u checks, %u failed", checks, failed);
	return failed ? 1 : 0;
}

void sc_fill(uint8_t *buf, size_t len, unsigned tag)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(tag * 131u + i * 7u + (i >> 11));
}

int sc_is(const uint8_t *buf, size_t len, unsigned tag)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(tag * 131u + i * 7u + (i >> 11)))
			return 0;
	return 1;
}

int sc_raw(keel_handle_t h, uint32_t op, const char name[48], uint64_t offset, uint64_t length,
           const void *data, size_t dlen, uint64_t *size)
{
	static uint8_t req[sizeof(struct storaged_req) + STORAGED_CHUNK_MAX + 16];
	static uint8_t rsp[sizeof(struct storaged_rsp) + STORAGED_CHUNK_MAX];
	struct storaged_req q;
	struct storaged_rsp r;
	if (dlen > sizeof(req) - sizeof(q))
		return -1000;
	memset(&q, 0, sizeof(q));
	q.hdr.op = op;
	q.hdr.len = (uint32_t)(sizeof(q) - sizeof(q.hdr) + dlen);
	memcpy(q.name, name, sizeof(q.name));
	q.offset = offset;
	q.length = length;
	memcpy(req, &q, sizeof(q));
	if (dlen)
		memcpy(req + sizeof(q), data, dlen);
	long n = keel_chan_call(h, req, sizeof(q) + dlen, rsp, sizeof(rsp));
	if (n < (long)sizeof(r))
		return n < 0 ? (int)n - 1000 : -1000;
	memcpy(&r, rsp, sizeof(r));
	if (size)
		*size = r.size;
	return r.status;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char word[32] = "", rest[32] = "";
	sscanf(mode, "%31s %31s", word, rest);
	if (!strcmp(word, "api"))
		return sc_mode_api();
	if (!strcmp(word, "limits"))
		return sc_mode_limits();
	if (!strcmp(word, "two"))
		return sc_mode_two();
	if (!strcmp(word, "persist-write") || !strcmp(word, "persist-check"))
		return sc_mode_persist(word[8] == 'w');
	if (!strcmp(word, "key"))
		return sc_mode_key(rest);
	if (!strcmp(word, "locked-get"))
		return sc_mode_locked_get(!strcmp(rest, "locked"));
	if (!strcmp(word, "fault"))
		return sc_mode_fault(rest);
	if (!strcmp(word, "bench"))
		return sc_mode_bench(strtoul(rest, NULL, 10));
	sc_log("storaged-client: unknown mode \"%s\"", mode);
	return 2;
}
