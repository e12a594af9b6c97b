/*
 * echo-client N: pings the server, then makes N echo calls whose payloads
 * cycle through 0..65536 bytes (the first two are exactly 0 and 65536),
 * checks every reply byte for byte, and prints a summary. Exits 1 on any
 * mismatch or failed call.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "echo.h"

static uint8_t req[KEEL_MSG_MAX], rsp[KEEL_MSG_MAX];
static char line[160];

static void say(void)
{
	keel_log(line, strlen(line));
}

static uint32_t payload_size(unsigned long i)
{
	if (i == 1)
		return KEEL_MSG_MAX_PAYLOAD;
	return (uint32_t)((i * 40503ul) % (KEEL_MSG_MAX_PAYLOAD + 1)); /* 65537 is prime: a full cycle */
}

static uint8_t pattern(unsigned long i, size_t j)
{
	return (uint8_t)(i * 31u + j * 7u + (j >> 8));
}

/* One echo call; 0 if the reply is exactly the request. */
static int round_trip(unsigned long i)
{
	struct keel_msg *q = (struct keel_msg *)req, *a = (struct keel_msg *)rsp;
	uint32_t size = payload_size(i);
	size_t j;
	long n;
	q->op = ECHO_OP_ECHO;
	q->len = size;
	for (j = 0; j < size; j++)
		req[sizeof(*q) + j] = pattern(i, j);
	memset(rsp, 0xa5, sizeof(*a) + size);
	n = keel_chan_call(ECHO_HANDLE, req, sizeof(*q) + size, rsp, sizeof(rsp));
	if (n < 0) {
		snprintf(line, sizeof(line), "call %lu (%u bytes) failed: %ld", i, size, n);
		return say(), -1;
	}
	if ((size_t)n != sizeof(*a) + size || keel_msg_check(rsp, (size_t)n) || a->op != ECHO_OP_ECHO) {
		snprintf(line, sizeof(line), "call %lu: reply of %ld bytes, op %u, for %u bytes", i, n,
			 a->op, size);
		return say(), -1;
	}
	for (j = 0; j < size; j++) {
		if (rsp[sizeof(*a) + j] != pattern(i, j)) {
			snprintf(line, sizeof(line), "call %lu: byte %zu of %u differs", i, j, size);
			return say(), -1;
		}
	}
	return 0;
}

static int ping(void)
{
	struct keel_msg q = {KEEL_OP_PING, 0};
	long n = keel_chan_call(ECHO_HANDLE, &q, sizeof(q), rsp, sizeof(rsp));
	if (n != (long)sizeof(q) || ((struct keel_msg *)rsp)->op != KEEL_OP_PING) {
		snprintf(line, sizeof(line), "ping failed: %ld", n);
		return say(), -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000, i, done = 0, bad = 0;
	uint64_t bytes = 0, max = 0;
	int64_t t0, t1;
	if (ping())
		return 1;
	t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	for (i = 0; i < n && bad < 10; i++) { /* stop after 10 mismatches */
		done++;
		bad += round_trip(i) != 0;
		bytes += payload_size(i);
		if (payload_size(i) > max)
			max = payload_size(i);
	}
	t1 = keel_time(KEEL_CLOCK_MONOTONIC);
	snprintf(line, sizeof(line),
		 "%lu round trips, %lu verified, %lu mismatched, payloads 0..%llu bytes, "
		 "%llu bytes echoed, %lld ns per round trip",
		 done, done - bad, bad, (unsigned long long)max, (unsigned long long)bytes,
		 (long long)(done ? (t1 - t0) / (int64_t)done : 0));
	say();
	return bad || done != n ? 1 : 0;
}
