/*
 * netstack-client: drives apps/netstack over the stream protocol
 * (tests/system/netstack-booted.sh, tests/hosted/netstack-hosted.sh),
 * behind it netdev on QEMU user networking and tests/system/netstack-echo.py
 * on the host's loopback (10.0.2.2 with keel-qemu --net-host-loopback).
 * Modes (argv[1]):
 *   echo     malformed requests STREAM_EINVAL; the first WRITE opens the
 *            connection; 64 KiB written and read back identical; a READ
 *            with nothing there times out; RESET opens a new connection;
 *            "CLOSE" makes the server say "bye" and close: READ gives the
 *            bytes, then STREAM_ECLOSED (WRITE too) until the next RESET
 *   static   the same echo on a static address, smaller; then "HOLD_"
 *            makes the server stop reading: WRITE fills the path until
 *            one waits its 5 s for send-buffer space (STREAM_ETIMEDOUT)
 *   refused  nothing listens on the peer's port: RESET, READ and WRITE
 *            STREAM_EIO (the RST), quickly
 *   nodev    netdev has no device: STREAM_ENODEV; malformed still EINVAL
 *   void-dhcp, void-static, broken   behind tests/tasks/netdev-void: no
 *            lease (RESET EIO), nobody answering (ETIMEDOUT), netdev
 *            breaking its protocol (EIO)
 * Ends "netstack-client: N checks, M failed".
 */
#include <stdio.h>
#include <string.h>

#include <keel/syscall.h>

#include "../lib/stream_call.h"

#define BIG (64u * 1024u)

static unsigned checks, failed;
static uint8_t got[BIG];

static void check(int cond, const char *what, long detail)
{
	checks++;
	if (!cond)
		failed++;
	keel_logf("netstack-client: %s: %s (%ld)", cond ? "ok" : "FAIL", what, detail);
}

static uint64_t now_ms(void)
{
	int64_t t = keel_time(KEEL_CLOCK_MONOTONIC);
	return t < 0 ? 0 : (uint64_t)t / 1000000u;
}

static uint8_t pattern(uint32_t msg, uint32_t i)
{
	return (uint8_t)(msg * 61u + i * 13u + (i >> 7) + 1u);
}

static void bad_requests(void)
{
	size_t q = sizeof(struct stream_req);
	check(stream_raw(0x999, (uint32_t)(q - 8), q) == STREAM_EINVAL, "unknown op -> EINVAL", 0);
	check(stream_raw(STREAM_OP_READ, 100, q) == STREAM_EINVAL, "len field wrong -> EINVAL", 0);
	check(stream_call(STREAM_OP_READ, 0, 10, 0, NULL) == STREAM_EINVAL, "READ max 0 -> EINVAL",
	      0);
	check(stream_call(STREAM_OP_WRITE, 0, 10, 0, NULL) == STREAM_EINVAL,
	      "WRITE of 0 bytes -> EINVAL", 0);
	check(stream_call(STREAM_OP_RESET, 0, 10, 1, NULL) == STREAM_EINVAL,
	      "RESET with payload -> EINVAL", 0);
}

static int32_t write_bytes(const uint8_t *p, uint32_t n)
{
	while (n > 0) {
		uint32_t k = n < STREAM_CHUNK_MAX ? n : STREAM_CHUNK_MAX, count = 0;
		int32_t s;
		memcpy(STREAM_CALL_PAYLOAD, p, k);
		s = stream_call(STREAM_OP_WRITE, 0, 1000, k, &count);
		if (s != STREAM_OK || count != k) {
			keel_logf("netstack-client: write %u bytes: status %d count %u", k, s,
			          count);
			return s != STREAM_OK ? s : -997;
		}
		p += k;
		n -= k;
	}
	return STREAM_OK;
}

/* Reads exactly n bytes into got within 20 s; the last status. */
static int32_t read_bytes(uint32_t n)
{
	uint32_t have = 0;
	uint64_t end = now_ms() + 20000;
	while (have < n && now_ms() < end) {
		uint32_t count = 0,
		         want = n - have < STREAM_CHUNK_MAX ? n - have : STREAM_CHUNK_MAX;
		int32_t s = stream_call(STREAM_OP_READ, want, 2000, 0, &count);
		if (s == STREAM_ETIMEDOUT)
			continue;
		if (s != STREAM_OK || count == 0 || count > want) {
			keel_logf("netstack-client: read: status %d count %u (have %u of %u)", s,
			          count, have, n);
			return s != STREAM_OK ? s : -996;
		}
		memcpy(got + have, STREAM_CALL_REPLY, count);
		have += count;
	}
	return have == n ? STREAM_OK : STREAM_ETIMEDOUT;
}

/* Writes message `id` of n bytes, reads n back; 1 if identical. */
static int echo(uint32_t id, uint32_t n)
{
	static uint8_t out[BIG];
	for (uint32_t i = 0; i < n; i++)
		out[i] = pattern(id, i);
	if (write_bytes(out, n) != STREAM_OK || read_bytes(n) != STREAM_OK)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (got[i] != out[i]) {
			keel_logf("netstack-client: message %u byte %u differs", id, i);
			return 0;
		}
	return 1;
}

/* The server's close: "CLOSE" -> "bye\n", FIN. */
static void peer_closes(void)
{
	uint32_t count = 9;
	int32_t s;
	check(write_bytes((const uint8_t *)"CLOSE", 5) == STREAM_OK, "WRITE CLOSE", 0);
	s = read_bytes(4);
	check(s == STREAM_OK && !memcmp(got, "bye\n", 4), "the bytes before the FIN are read", s);
	s = stream_call(STREAM_OP_READ, 100, 5000, 0, &count);
	check(s == STREAM_ECLOSED && count == 0, "READ after the FIN -> ECLOSED", s);
	s = stream_call(STREAM_OP_READ, 100, 100, 0, NULL);
	check(s == STREAM_ECLOSED, "READ again -> ECLOSED (no implicit reconnect)", s);
	memcpy(STREAM_CALL_PAYLOAD, "x", 1);
	s = stream_call(STREAM_OP_WRITE, 0, 100, 1, &count);
	check(s == STREAM_ECLOSED && count == 0, "WRITE after the FIN -> ECLOSED", s);
}

/* The server's reset: "RESET" -> RST (through slirp). */
static void peer_resets(void)
{
	uint32_t count = 9;
	int32_t s;
	check(write_bytes((const uint8_t *)"RESET", 5) == STREAM_OK, "WRITE RESET", 0);
	s = stream_call(STREAM_OP_READ, 100, 5000, 0, &count);
	check(s == STREAM_ECLOSED && count == 0, "READ after the peer's reset -> ECLOSED", s);
	memcpy(STREAM_CALL_PAYLOAD, "x", 1);
	s = stream_call(STREAM_OP_WRITE, 0, 100, 1, &count);
	check(s == STREAM_ECLOSED && count == 0, "WRITE after the peer's reset -> ECLOSED", s);
}

static void echo_mode(void)
{
	uint64_t t0;
	uint32_t count = 99;
	int32_t s;

	bad_requests();
	check(echo(1, BIG), "64 KiB written (implicit connect) and read back identical", BIG);
	t0 = now_ms();
	s = stream_call(STREAM_OP_READ, 100, 300, 0, &count);
	check(s == STREAM_ETIMEDOUT && count == 0, "READ with nothing there -> ETIMEDOUT, count 0",
	      s);
	check(now_ms() - t0 >= 290, "the READ waited its 300 ms", (long)(now_ms() - t0));
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET -> OK (connection 2)", s);
	check(echo(2, 1000), "1000 bytes round trip on connection 2", 1000);
	s = stream_call(STREAM_OP_RESET, 0, 0, 0, NULL);
	check(s == STREAM_OK, "RESET, timeout_ms 0 -> OK (connection 3)", s);
	peer_closes();
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET after ECLOSED -> OK (connection 4)", s);
	check(echo(4, 100), "100 bytes round trip on connection 4", 100);
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET -> OK (connection 5)", s);
	peer_resets();
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET after the peer's reset -> OK (connection 6)", s);
	check(echo(6, 3000), "3000 bytes round trip on connection 6", 3000);
}

/* The server stops reading: WRITEs fill the path until one waits its 5 s. */
static void flow_control(void)
{
	static uint8_t chunk[STREAM_CHUNK_MAX];
	uint32_t total = 0, count = 0;
	uint64_t t0 = 0;
	int32_t s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET -> OK (connection 3)", s);
	check(write_bytes((const uint8_t *)"HOLD_", 5) == STREAM_OK, "WRITE HOLD_", 0);
	memset(chunk, 'h', sizeof(chunk));
	for (s = STREAM_OK; s == STREAM_OK && total < (64u << 20); total += count) {
		memcpy(STREAM_CALL_PAYLOAD, chunk, sizeof(chunk));
		t0 = now_ms();
		s = stream_call(STREAM_OP_WRITE, 0, 100, sizeof(chunk), &count);
	}
	keel_logf("netstack-client: %u bytes queued before the window closed", total);
	check(s == STREAM_ETIMEDOUT && count < sizeof(chunk),
	      "a WRITE to a peer that stopped reading -> ETIMEDOUT, count = bytes queued", s);
	check(now_ms() - t0 >= 4900, "that WRITE waited its 5 s", (long)(now_ms() - t0));
	check(total > 0 && total < (64u << 20), "the path filled after some bytes", (long)total);
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET -> OK (connection 4)", s);
	check(echo(4, 1000), "1000 bytes round trip on connection 4", 1000);
}

static void static_mode(void)
{
	int32_t s;
	check(echo(1, 5000), "5000 bytes round trip (implicit connect)", 5000);
	s = stream_call(STREAM_OP_RESET, 0, 5000, 0, NULL);
	check(s == STREAM_OK, "RESET -> OK (connection 2)", s);
	check(echo(2, 20000), "20000 bytes round trip on connection 2", 20000);
	flow_control();
}

static void refused_mode(void)
{
	uint64_t t0 = now_ms();
	uint32_t count = 9;
	int32_t s = stream_call(STREAM_OP_RESET, 0, 8000, 0, NULL);
	check(s == STREAM_EIO, "RESET to a port nobody listens on -> EIO", s);
	check(now_ms() - t0 < 8000, "refused, not timed out", (long)(now_ms() - t0));
	s = stream_call(STREAM_OP_READ, 10, 100, 0, &count);
	check(s == STREAM_EIO && count == 0, "READ (implicit connect) -> EIO", s);
	memcpy(STREAM_CALL_PAYLOAD, "x", 1);
	s = stream_call(STREAM_OP_WRITE, 0, 100, 1, &count);
	check(s == STREAM_EIO && count == 0, "WRITE (implicit connect) -> EIO", s);
}

/* On a wire where nobody answers (tests/tasks/netdev-void). */
static void void_dhcp_mode(void)
{
	uint64_t t0 = now_ms();
	int32_t s = stream_call(STREAM_OP_RESET, 0, 1000, 0, NULL);
	check(s == STREAM_EIO, "RESET with no DHCP lease -> EIO", s);
	check(now_ms() - t0 >= 990, "the RESET waited its 1 s for an address",
	      (long)(now_ms() - t0));
	/* Long enough for netstack's no-lease line (IPCONF_DHCP_WARN_MS, 15 s). */
	s = stream_call(STREAM_OP_RESET, 0, 15500, 0, NULL);
	check(s == STREAM_EIO, "RESET with still no lease after 16 s -> EIO", s);
}

static void void_static_mode(void)
{
	uint64_t t0 = now_ms();
	uint32_t count = 9;
	int32_t s = stream_call(STREAM_OP_RESET, 0, 1500, 0, NULL);
	check(s == STREAM_ETIMEDOUT, "RESET, nobody answers ARP or SYN -> ETIMEDOUT", s);
	check(now_ms() - t0 >= 1490, "the RESET waited its 1.5 s", (long)(now_ms() - t0));
	s = stream_call(STREAM_OP_READ, 10, 100, 0, &count);
	check(s == STREAM_ETIMEDOUT && count == 0, "READ (implicit connect, 10 s) -> ETIMEDOUT", s);
}

static void broken_mode(void)
{
	int32_t s = stream_call(STREAM_OP_RESET, 0, 2000, 0, NULL);
	check(s == STREAM_EIO, "RESET after netdev broke the protocol -> EIO", s);
	s = stream_call(STREAM_OP_READ, 10, 100, 0, NULL);
	check(s == STREAM_EIO, "READ -> EIO", s);
	bad_requests();
}

static void nodev_mode(void)
{
	memcpy(STREAM_CALL_PAYLOAD, "x", 1);
	check(stream_call(STREAM_OP_WRITE, 0, 10, 1, NULL) == STREAM_ENODEV, "WRITE -> ENODEV", 0);
	check(stream_call(STREAM_OP_READ, 10, 10, 0, NULL) == STREAM_ENODEV, "READ -> ENODEV", 0);
	check(stream_call(STREAM_OP_RESET, 0, 10, 0, NULL) == STREAM_ENODEV, "RESET -> ENODEV", 0);
	bad_requests();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "echo";
	if (!strcmp(mode, "echo"))
		echo_mode();
	else if (!strcmp(mode, "static"))
		static_mode();
	else if (!strcmp(mode, "refused"))
		refused_mode();
	else if (!strcmp(mode, "nodev"))
		nodev_mode();
	else if (!strcmp(mode, "void-dhcp"))
		void_dhcp_mode();
	else if (!strcmp(mode, "void-static"))
		void_static_mode();
	else if (!strcmp(mode, "broken"))
		broken_mode();
	else
		check(0, "unknown mode", 0);
	keel_logf("netstack-client: %u checks, %u failed", checks, failed);
	return failed ? 1 : 0;
}
