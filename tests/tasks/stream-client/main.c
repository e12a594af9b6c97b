/*
 * stream-client: drives apps/consdev (tests/system/consdev-booted.sh).
 * Booted behind keel-proxy and an echo server: malformed requests are
 * STREAM_EINVAL, a READ with nothing there times out, messages of several
 * sizes come back byte for byte, and a RESET starts a new connection
 * (the server counts them). Mode "nodev" (hosted, or no device): every
 * good request is STREAM_ENODEV. Mode "norelay": a device but no
 * keel-proxy. Ends "stream-client: N checks, M failed".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../lib/stream_call.h"

static unsigned checks, failed;
static uint8_t got[3 * STREAM_CHUNK_MAX];

static void check(int cond, const char *what, long detail)
{
	checks++;
	if (!cond)
		failed++;
	keel_logf("stream-client: %s: %s (%ld)", cond ? "ok" : "FAIL", what, detail);
}

static uint64_t now_ms(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t / 1000000u;
}

static uint8_t pattern(uint32_t msg, uint32_t i)
{
	return (uint8_t)(msg * 61u + i * 13u + (i >> 7));
}

static void bad_requests(void)
{
	size_t q = sizeof(struct stream_req);
	check(stream_raw(0x999, (uint32_t)(q - 8), q) == STREAM_EINVAL, "unknown op -> EINVAL", 0);
	check(stream_raw(STREAM_OP_READ, 0, 8) == STREAM_EINVAL, "short message -> EINVAL", 0);
	check(stream_raw(STREAM_OP_READ, 100, q) == STREAM_EINVAL, "len field wrong -> EINVAL", 0);
	check(stream_call(STREAM_OP_READ, 0, 10, 0, NULL) == STREAM_EINVAL, "READ max 0 -> EINVAL",
	      0);
	check(stream_call(STREAM_OP_READ, STREAM_CHUNK_MAX + 1, 10, 0, NULL) == STREAM_EINVAL,
	      "READ max above STREAM_CHUNK_MAX -> EINVAL", 0);
	check(stream_call(STREAM_OP_READ, 10, 10, 4, NULL) == STREAM_EINVAL,
	      "READ with payload -> EINVAL", 0);
	check(stream_call(STREAM_OP_WRITE, 0, 10, 0, NULL) == STREAM_EINVAL,
	      "WRITE of 0 bytes -> EINVAL", 0);
	check(stream_call(STREAM_OP_WRITE, 0, 10, STREAM_CHUNK_MAX + 1, NULL) == STREAM_EINVAL,
	      "WRITE above STREAM_CHUNK_MAX -> EINVAL", 0);
	check(stream_call(STREAM_OP_RESET, 0, 10, 1, NULL) == STREAM_EINVAL,
	      "RESET with payload -> EINVAL", 0);
}

/* Writes message `id` of n bytes and reads until n bytes came back; 1 if identical. */
static int echo(uint32_t id, uint32_t n)
{
	uint8_t *p = STREAM_CALL_PAYLOAD;
	uint32_t have = 0, count = 0;
	uint64_t end = now_ms() + 10000;
	int32_t s;
	for (uint32_t i = 0; i < n; i++)
		p[i] = pattern(id, i);
	s = stream_call(STREAM_OP_WRITE, 0, 1000, n, &count);
	if (s != STREAM_OK || count != n) {
		keel_logf("stream-client: write %u bytes: status %d count %u", n, s, count);
		return 0;
	}
	while (have < n && now_ms() < end) {
		s = stream_call(STREAM_OP_READ, STREAM_CHUNK_MAX, 2000, 0, &count);
		if (s == STREAM_ETIMEDOUT)
			continue;
		if (s != STREAM_OK || count == 0 || count > n - have) {
			keel_logf("stream-client: read: status %d count %u (have %u of %u)", s,
			          count, have, n);
			return 0;
		}
		memcpy(got + have, STREAM_CALL_REPLY, count);
		have += count;
	}
	for (uint32_t i = 0; i < have; i++)
		if (got[i] != pattern(id, i)) {
			keel_logf("stream-client: message %u byte %u differs", id, i);
			return 0;
		}
	return have == n;
}

static int basic(void)
{
	uint64_t t0;
	int32_t s;
	uint32_t count = 99;

	bad_requests();
	t0 = now_ms();
	s = stream_call(STREAM_OP_READ, 100, 300, 0, &count);
	check(s == STREAM_ETIMEDOUT && count == 0, "READ with nothing there -> ETIMEDOUT, count 0",
	      s);
	check(now_ms() - t0 >= 290, "the READ waited its 300 ms", (long)(now_ms() - t0));
	check(echo(1, 1), "1 byte round trip", 1);
	check(echo(2, 5000), "5000 bytes round trip", 5000);
	check(echo(3, STREAM_CHUNK_MAX), "16384 bytes (STREAM_CHUNK_MAX) round trip",
	      STREAM_CHUNK_MAX);
	check(echo(4, 777), "777 bytes round trip", 777);
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET acknowledged by the relay", s);
	check(echo(5, 3000), "3000 bytes round trip on the new connection", 3000);
	s = stream_call(STREAM_OP_RESET, 0, 0, 0, NULL);
	check(s == STREAM_OK, "second RESET, timeout_ms 0 (the default, 5 s)", s);
	check(echo(6, 100), "100 bytes round trip on the third connection", 100);
	return 0;
}

static void nodev(void)
{
	uint8_t *p = STREAM_CALL_PAYLOAD;
	p[0] = 'x';
	check(stream_call(STREAM_OP_WRITE, 0, 10, 1, NULL) == STREAM_ENODEV, "WRITE -> ENODEV", 0);
	check(stream_call(STREAM_OP_READ, 10, 10, 0, NULL) == STREAM_ENODEV, "READ -> ENODEV", 0);
	check(stream_call(STREAM_OP_RESET, 0, 10, 0, NULL) == STREAM_ENODEV, "RESET -> ENODEV", 0);
	bad_requests();
}

/* A device but nobody on the host side: WRITEs still complete, a RESET is not answered. */
static void norelay(void)
{
	uint8_t *p = STREAM_CALL_PAYLOAD;
	uint32_t count = 0;
	uint64_t t0;
	int32_t s;
	memset(p, 'z', 100);
	s = stream_call(STREAM_OP_WRITE, 0, 10, 100, &count);
	check(s == STREAM_OK && count == 100, "WRITE without a relay completes", s);
	t0 = now_ms();
	s = stream_call(STREAM_OP_RESET, 0, 500, 0, NULL);
	check(s == STREAM_ETIMEDOUT, "RESET without a relay -> ETIMEDOUT", s);
	check(now_ms() - t0 >= 490, "the RESET waited its 500 ms", (long)(now_ms() - t0));
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	if (!strcmp(mode, "nodev"))
		nodev();
	else if (!strcmp(mode, "norelay"))
		norelay();
	else
		basic();
	keel_logf("stream-client: %u checks, %u failed", checks, failed);
	return failed ? 1 : 0;
}
