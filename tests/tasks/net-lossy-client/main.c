/*
 * net-lossy-client: drives apps/netstack over the stream protocol through
 * a lossy path (tests/hosted/net-lossy.sh: hosted netdev on unix
 * datagrams, tests/hosted/net-lossy-relay.py dropping, reordering,
 * duplicating, delaying and corrupting frames, a Linux TCP echo server in a
 * network namespace). argv[1] = "echo:BYTES[:ROUNDS[:LINGER_MS]]": ROUNDS
 * connections (default 1; each after the first opened by a RESET), each
 * echoing BYTES bytes of a pattern that differs per round, compared byte
 * for byte as they come back. At most WINDOW bytes are written ahead of
 * what came back, so neither side's buffers can deadlock the echo. Mode
 * "bulk:..." the same against tests/hosted/net-lossy-peer.py's bulk port:
 * a 4-byte big-endian length first, and the peer sends the bytes back only
 * once it has them all, so data flows one way at a time and each side's
 * ACKs are pure ACKs (duplicate ACKs, hence fast retransmit, only count
 * without data: RFC 5681 §2; an interleaved echo leaves lwIP to its
 * retransmission timer under loss, which is correct but slow). Logs per
 * round "net-lossy-client: round R: BYTES bytes echoed identical in MS ms".
 * Then it stays LINGER_MS (default 0) in READs that time out, logged
 * "net-lossy-client: lingering MS ms" first, so netstack keeps answering
 * ARP and ICMP echo (the test pings meanwhile). Ends "net-lossy-client: N
 * checks, M failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "../lib/stream_call.h"

#define WINDOW (48u * 1024u)
#define CHUNK 8192u
#define ROUND_MS 400000u /* one round's limit: 1 MiB through 10% loss takes 2-3 minutes */

static unsigned checks, failed;
static unsigned long write_waits; /* WRITEs that timed out waiting for send-buffer space */
static int bulk;                  /* the peer takes it all before it echoes (mode bulk:) */

static void check(int cond, const char *what, long detail)
{
	checks++;
	if (!cond)
		failed++;
	keel_logf("net-lossy-client: %s: %s (%ld)", cond ? "ok" : "FAIL", what, detail);
}

static uint64_t now_ms(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t / 1000000u;
}

static uint8_t pattern(uint32_t round, uint32_t i)
{
	return (uint8_t)(round * 61u + i * 13u + (i >> 9) + 7u);
}

/*
 * Writes n more bytes of round `round` from offset `sent`: the bytes taken
 * (fewer when netstack's send buffer stayed full for its 5 s: flow
 * control, ETIMEDOUT with the count taken), or -1.
 */
static long write_more(uint32_t round, uint32_t sent, uint32_t n)
{
	uint32_t count = 0;
	int32_t s;
	for (uint32_t i = 0; i < n; i++)
		STREAM_CALL_PAYLOAD[i] = pattern(round, sent + i);
	s = stream_call(STREAM_OP_WRITE, 0, 0, n, &count);
	if ((s == STREAM_OK && count == n) || (s == STREAM_ETIMEDOUT && count < n)) {
		if (s == STREAM_ETIMEDOUT)
			write_waits++;
		return count;
	}
	keel_logf("net-lossy-client: WRITE %u bytes at %u: status %d count %u", n, sent, s, count);
	return -1;
}

/* bulk: the 4-byte big-endian length that tells the peer how much to take before echoing. */
static int bulk_header(uint32_t bytes)
{
	uint32_t count = 0;
	int32_t s;
	uint8_t *p = STREAM_CALL_PAYLOAD;
	p[0] = (uint8_t)(bytes >> 24), p[1] = (uint8_t)(bytes >> 16);
	p[2] = (uint8_t)(bytes >> 8), p[3] = (uint8_t)bytes;
	s = stream_call(STREAM_OP_WRITE, 0, 0, 4, &count);
	if (s == STREAM_OK && count == 4)
		return 1;
	keel_logf("net-lossy-client: WRITE of the length: status %d count %u", s, count);
	return 0;
}

/* One round: `bytes` echoed; 1 if every byte came back right within ROUND_MS. */
static int echo_round(uint32_t round, uint32_t bytes)
{
	uint32_t sent = 0, got = 0, window = bulk ? bytes : WINDOW;
	uint64_t t0 = now_ms(), end = t0 + ROUND_MS;
	if (bulk && !bulk_header(bytes))
		return 0;
	while (got < bytes) {
		uint32_t room = window - (sent - got), count = 0, n;
		int32_t s;
		if (now_ms() > end) {
			keel_logf("net-lossy-client: round %u: %u of %u bytes back after %u ms",
			          round, got, bytes, ROUND_MS);
			return 0;
		}
		n = bytes - sent < CHUNK ? bytes - sent : CHUNK;
		if (n && room >= n) {
			long k = write_more(round, sent, n);
			if (k < 0)
				return 0;
			sent += (uint32_t)k;
			n = bytes - sent < CHUNK ? bytes - sent : CHUNK;
		}
		/* just look while there is more to write; wait once the window is full */
		s = stream_call(STREAM_OP_READ, STREAM_CHUNK_MAX,
		                n && window - (sent - got) >= n ? 0 : 1000, 0, &count);
		if (s == STREAM_ETIMEDOUT)
			continue;
		if (s != STREAM_OK || got + count > sent) {
			keel_logf("net-lossy-client: round %u: READ status %d count %u at %u",
			          round, s, count, got);
			return 0;
		}
		for (uint32_t i = 0; i < count; i++)
			if (STREAM_CALL_REPLY[i] != pattern(round, got + i)) {
				keel_logf("net-lossy-client: round %u: byte %u differs", round,
				          got + i);
				return 0;
			}
		got += count;
	}
	keel_logf("net-lossy-client: round %u: %u bytes echoed identical in %llu ms (%lu WRITEs "
	          "waited 5 s for send-buffer space)",
	          round, bytes, (unsigned long long)(now_ms() - t0), write_waits);
	write_waits = 0;
	return 1;
}

/* READs that find nothing for `ms`: netstack runs lwIP meanwhile (ARP, ICMP echo). */
static void stay(unsigned long ms)
{
	uint64_t end = now_ms() + ms;
	unsigned long bytes = 0;
	keel_logf("net-lossy-client: lingering %lu ms", ms);
	while (now_ms() < end) {
		uint32_t count = 0;
		int32_t s = stream_call(STREAM_OP_READ, STREAM_CHUNK_MAX, 500, 0, &count);
		if (s == STREAM_OK)
			bytes += count;
		else if (s != STREAM_ETIMEDOUT)
			break;
	}
	check(bytes == 0, "nothing more came back while lingering", (long)bytes);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char *end = NULL;
	unsigned long bytes = 0, rounds = 1, linger = 0;
	bulk = !strncmp(mode, "bulk:", 5);
	if (!strncmp(mode, "echo:", 5) || bulk)
		bytes = strtoul(mode + 5, &end, 10);
	if (end && *end == ':')
		rounds = strtoul(end + 1, &end, 10);
	if (end && *end == ':')
		linger = strtoul(end + 1, &end, 10);
	if (!end || *end || bytes == 0 || bytes > (1ul << 30) || rounds == 0 || rounds > 100 ||
	    linger > 600000) {
		keel_logf(
		    "net-lossy-client: bad mode \"%s\" (echo|bulk:BYTES[:ROUNDS[:LINGER_MS]])",
		    mode);
		return 2;
	}
	for (uint32_t r = 1; r <= rounds; r++) {
		uint32_t count = 0;
		if (r > 1) {
			int32_t s = stream_call(STREAM_OP_RESET, 0, 10000, 0, &count);
			check(s == STREAM_OK, "RESET opens a new connection", s);
		}
		check(echo_round(r, (uint32_t)bytes), "bytes echoed back identical", (long)bytes);
	}
	if (linger)
		stay(linger);
	keel_logf("net-lossy-client: %u checks, %u failed", checks, failed);
	return failed ? 1 : 0;
}
