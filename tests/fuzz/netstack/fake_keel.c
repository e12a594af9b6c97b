/*
 * The syscalls netstack makes, played from the fuzz input (session.h):
 * netdev on DEV_SLOT (INFO, SEND, RECV) and the stream client on
 * SERVE_SLOT (wait, recv, reply), and the clock. What netstack sends is
 * checked on the way: every request to netdev must pass netdev's own
 * request check, every frame must be well formed (frame_check_out, after
 * the padding to 60 bytes netstack adds), every reply to the client must
 * be a well-formed stream_rsp that answers the request it got.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/syscall.h>
#include <keel/syscall_numbers.h>

#include "../../../apps/consdev/stream_protocol.h"
#include "../../../apps/netdev/net_protocol.h"
#include "../../../apps/netdev/request.h"
#include "../net-frames/lwip_env.h"
#include "../net-frames/net_fuzz.h"
#include "session.h"

static const uint8_t *s_data;
static size_t s_len, s_at;
static uint64_t s_start_ms, s_silence_left;
static unsigned s_fault;
static uint32_t s_last_op, s_last_max, s_last_count, s_last_ok;
static uint8_t frame[NET_FRAME_MAX];

static void bad(const char *why)
{
	fprintf(stderr, "netstack-session: %s\n", why);
	abort();
}

void session_start(const uint8_t *script, size_t len)
{
	s_data = script;
	s_len = len;
	s_at = 0;
	s_silence_left = 0;
	s_start_ms = fuzz_now_ms;
}

/* The next record's kind: REC_FRAME, REC_REQUEST, REC_FAULT, REC_SILENCE
 * (any other kind is silence too), or -1 at the end. */
static int peek(void)
{
	if (s_silence_left)
		return REC_SILENCE;
	if (s_len - s_at < 3)
		return -1;
	unsigned k = s_data[s_at] & 0x0f;
	return k == REC_FRAME || k == REC_REQUEST || k == REC_FAULT ? (int)k : REC_SILENCE;
}

/* Takes the next record: its kind byte, body and body length (clamped to
 * the input); a silence record only starts the silence, a fault record
 * only arms the fault. */
static unsigned take(const uint8_t **body, size_t *n)
{
	unsigned kind = s_data[s_at];
	size_t len = (size_t)s_data[s_at + 1] << 8 | s_data[s_at + 2];
	s_at += 3;
	*body = NULL;
	*n = 0;
	if ((kind & 0x0f) == REC_FAULT) {
		s_fault = (unsigned)(len % FAULT_COUNT);
		return kind;
	}
	if ((kind & 0x0f) != REC_FRAME && (kind & 0x0f) != REC_REQUEST) {
		s_silence_left = len * 10u;
		return kind;
	}
	if (len > s_len - s_at)
		len = s_len - s_at;
	*body = s_data + s_at;
	*n = len;
	s_at += len;
	return kind;
}

int session_more(void)
{
	return peek() >= 0;
}

/*
 * netstack waits up to `ms` for something that is not next in the script:
 * the silence the script has there passes, or all of `ms` when the next
 * record is for the other side (the client is blocked on its call while
 * netstack works on it) or there is none. Only the clock moves: lwIP's
 * timers run when netstack's pump() runs them, as in the task.
 */
static void pass_time(uint64_t ms)
{
	const uint8_t *b;
	size_t n;
	if (!s_silence_left && peek() == REC_SILENCE)
		take(&b, &n);
	if (s_silence_left) {
		if (ms > s_silence_left)
			ms = s_silence_left;
		s_silence_left -= ms;
	}
	fuzz_now_ms += ms;
}

static int over_budget(void)
{
	return fuzz_now_ms - s_start_ms > SESSION_BUDGET_MS;
}

int64_t keel_time(uint32_t clock)
{
	(void)clock;
	return (int64_t)(fuzz_now_ms * 1000000u);
}

void keel_logf(const char *fmt, ...)
{
	static int on = -1;
	va_list ap;
	if (on < 0)
		on = getenv("KEEL_NET_FUZZ_TRACE") != NULL;
	if (!on)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A SEND's frame: at least 60 bytes (zero padding after the real frame). */
static void check_sent(const uint8_t *f, size_t len)
{
	size_t real = len;
	if (len < 60)
		bad("a frame shorter than 60 bytes sent without padding");
	if (len >= 14 && f[12] == 0x08 && f[13] == 0x06)
		real = 42;
	else if (len >= 18 && f[12] == 0x08 && f[13] == 0x00) {
		size_t tot = (size_t)f[16] << 8 | f[17];
		if (14 + tot < 60)
			real = 14 + tot;
	}
	for (size_t i = real; i < len; i++)
		if (f[i])
			bad("padding that is not zero");
	frame_trace("out", f, real);
	frame_check_out(f, real);
}

static long netdev_reply(void *rsp, size_t cap, uint32_t op, int32_t status, const uint8_t *f,
                         size_t flen)
{
	struct net_rsp r;
	memset(&r, 0, sizeof(r));
	r.hdr.op = op;
	r.hdr.len = (uint32_t)(sizeof(r) - sizeof(r.hdr) + flen);
	r.status = status;
	r.len = (uint32_t)flen;
	if (op == NET_OP_INFO && status == NET_OK) {
		memcpy(r.mac, fuzz_our_mac, 6);
		r.mtu = NET_MTU_DEFAULT;
	}
	if (sizeof(r) + flen > cap)
		bad("netstack's RECV buffer cannot hold a full frame");
	memcpy(rsp, &r, sizeof(r));
	if (flen)
		memcpy((uint8_t *)rsp + sizeof(r), f, flen);
	return (long)(sizeof(r) + flen);
}

/* netdev answering this call wrongly (REC_FAULT). */
static long faulty(void *rsp, size_t cap, uint32_t op)
{
	static const uint8_t junk[NET_FRAME_MIN];
	long n;
	uint32_t v;
	switch (s_fault) {
	case FAULT_SHORT:
		netdev_reply(rsp, cap, op, NET_OK, NULL, 0);
		return 4;
	case FAULT_OP:
		return netdev_reply(rsp, cap, op + 1, NET_OK, NULL, 0);
	case FAULT_EIO:
		return netdev_reply(rsp, cap, op, NET_EIO, NULL, 0);
	case FAULT_CHANNEL:
		return KEEL_EPEERCLOSED;
	case FAULT_LENGTH:
		n = netdev_reply(rsp, cap, op, NET_OK, junk, sizeof(junk));
		v = sizeof(junk) + 1;
		memcpy((uint8_t *)rsp + offsetof(struct net_rsp, len), &v, sizeof(v));
		return n;
	case FAULT_BUSY:
		return netdev_reply(rsp, cap, op, NET_ETIMEDOUT, NULL, 0);
	default:
		return netdev_reply(rsp, cap, op, NET_ENODEV, NULL, 0);
	}
}

long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct net_checked c;
	if (h != DEV_SLOT)
		bad("a call on a slot other than netdev's");
	if (net_request_check(req, req_len, &c) != NET_OK)
		bad("a request netdev would refuse (NET_EINVAL)");
	if (c.op == NET_OP_SEND)
		check_sent(c.frame, c.len);
	if (peek() == REC_FAULT) {
		const uint8_t *b;
		size_t n;
		take(&b, &n);
		keel_logf("netdev fault %u on op 0x%x", s_fault, c.op);
		return faulty(rsp, rsp_cap, c.op);
	}
	if (c.op == NET_OP_INFO)
		return netdev_reply(rsp, rsp_cap, c.op, NET_OK, NULL, 0);
	if (c.op == NET_OP_SEND) {
		long r = netdev_reply(rsp, rsp_cap, c.op, NET_OK, NULL, 0);
		memcpy((uint8_t *)rsp + offsetof(struct net_rsp, len), &c.len, sizeof(c.len));
		return r;
	}
	/* RECV: the next frame, else silence up to the timeout. */
	if (over_budget())
		return netdev_reply(rsp, rsp_cap, c.op, NET_EIO, NULL, 0);
	while (peek() == REC_FRAME) {
		const uint8_t *b;
		size_t n;
		unsigned kind = take(&b, &n);
		if (n > sizeof(frame))
			n = sizeof(frame);
		if (n < NET_FRAME_MIN)
			continue; /* netdev never delivers less */
		memcpy(frame, b, n);
		if (kind & REC_FIX_IP)
			frame_fix_ip(frame, n);
		if (kind & REC_FIX_L4)
			frame_fix_l4(frame, n);
		frame_trace("in", frame, n);
		return netdev_reply(rsp, rsp_cap, c.op, NET_OK, frame, n);
	}
	pass_time(c.timeout_ms);
	return netdev_reply(rsp, rsp_cap, c.op, NET_ETIMEDOUT, NULL, 0);
}

long keel_wait(const keel_handle_t *handles, size_t n, uint64_t timeout_ns)
{
	const uint8_t *b;
	size_t len;
	if (n != 1 || handles[0] != SERVE_SLOT)
		bad("a wait on something other than the client's channel");
	for (;;) {
		int k = peek();
		if (k == REC_REQUEST || k < 0 || over_budget())
			return 0; /* a request, or the client leaving (recv says which) */
		if (timeout_ns == KEEL_WAIT_FOREVER) {
			/* The link is down: nothing reads the network's records. */
			if (k == REC_FRAME || k == REC_FAULT)
				take(&b, &len);
			else
				pass_time(s_silence_left ? s_silence_left : 1);
			continue;
		}
		/* A frame (or a fault) is there now: netstack calls netdev next. */
		if (k != REC_FRAME && k != REC_FAULT)
			pass_time(timeout_ns / 1000000u);
		return timeout_ns == 0 ? KEEL_EAGAIN : KEEL_ETIMEDOUT;
	}
}

long keel_chan_recv(keel_handle_t h, void *buf, size_t cap)
{
	const uint8_t *b;
	size_t n;
	if (h != SERVE_SLOT)
		bad("a recv on a slot other than the client's");
	if (peek() != REC_REQUEST || over_budget())
		return KEEL_EPEERCLOSED;
	take(&b, &n);
	if (n > cap)
		return KEEL_ETOOBIG;
	memcpy(buf, b, n);
	/* What the reply must answer. */
	s_last_op = KEEL_OP_ERROR;
	if (n >= sizeof(struct keel_msg))
		memcpy(&s_last_op, b, sizeof(s_last_op));
	s_last_max = 0;
	s_last_count = 0;
	s_last_ok = n >= sizeof(struct stream_req);
	if (s_last_ok) {
		struct stream_req r;
		memcpy(&r, b, sizeof(r));
		s_last_max = r.max;
		s_last_count = (uint32_t)(n - sizeof(r));
	}
	return (long)n;
}

long keel_chan_reply(keel_handle_t h, const void *buf, size_t len)
{
	struct stream_rsp r;
	if (h != SERVE_SLOT)
		bad("a reply on a slot other than the client's");
	if (len < sizeof(r))
		bad("a reply shorter than a stream_rsp");
	memcpy(&r, buf, sizeof(r));
	keel_logf("reply op 0x%x status %d count %u at %llu ms", r.hdr.op, r.status, r.count,
	          (unsigned long long)(fuzz_now_ms - s_start_ms));
	if (r.hdr.len != len - sizeof(r.hdr) || r.hdr.op != s_last_op)
		bad("a reply whose length or op does not match");
	switch (r.status) {
	case STREAM_OK:
		break;
	case STREAM_EIO:
	case STREAM_ETIMEDOUT:
	case STREAM_EINVAL:
	case STREAM_ENODEV:
	case STREAM_ECLOSED:
		if (len != sizeof(r) || (r.count && r.hdr.op != STREAM_OP_WRITE))
			bad("a failed request answered with bytes");
		return 0;
	default:
		bad("a status outside STREAM_*");
	}
	if (r.hdr.op == STREAM_OP_READ &&
	    (r.count == 0 || r.count > s_last_max || len != sizeof(r) + r.count))
		bad("a READ answered with 0 or more than max bytes");
	if (r.hdr.op == STREAM_OP_WRITE && (r.count != s_last_count || len != sizeof(r)))
		bad("a WRITE answered OK without taking every byte");
	if (r.hdr.op == STREAM_OP_RESET && (r.count != 0 || len != sizeof(r)))
		bad("a RESET answered with bytes");
	return 0;
}
