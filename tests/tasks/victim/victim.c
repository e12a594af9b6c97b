/*
 * The victim of the isolation tests. It holds a secret pattern in its
 * .data and in a page from mem_map, serves one channel per hostile task
 * (slots 1..N, N = argv[1]) with the protocol in victim_proto.h, and when
 * every hostile has gone (each peer closed), checks that the secret is
 * intact and exits 0 only then.
 */
#include <string.h>

#include <keel/syscall.h>

#include "../hostile/tlog.h"
#include "victim_proto.h"

#define SECRET_LEN 8192u
#define MAX_PEERS 32u
#define MAX_ERRORS 10000

static uint8_t secret[SECRET_LEN] __attribute__((aligned(4096))) = { 1 };
static uint8_t *secret_mapped;
static uint8_t buf[KEEL_MSG_MAX];

static struct {
	keel_handle_t live[MAX_PEERS];
	size_t nlive;
	int spinning, spin_ended;
	uint64_t ticks;
	int errors;
} v;

static void fill(uint8_t *p)
{
	for (size_t i = 0; i < SECRET_LEN; i++)
		p[i] = victim_secret_byte(i);
}

/* Offset of the first wrong byte, or -1 when intact. */
static long first_bad(const uint8_t *p)
{
	for (size_t i = 0; i < SECRET_LEN; i++)
		if (p[i] != victim_secret_byte(i))
			return (long)i;
	return -1;
}

static int intact(void)
{
	return first_bad(secret) < 0 && first_bad(secret_mapped) < 0;
}

static void reply(keel_handle_t h, uint32_t op, const void *payload, uint32_t len)
{
	struct {
		struct keel_msg m;
		uint8_t p[64];
	} r;
	long rc;

	r.m.op = op;
	r.m.len = len;
	if (len)
		memcpy(r.p, payload, len);
	rc = keel_chan_reply(h, &r, sizeof(r.m) + len);
	if (rc < 0) {
		struct tline l;
		tl_init(&l, "victim");
		tl_str(&l, "reply failed: ");
		tl_dec(&l, rc);
		tl_emit(&l);
	}
}

/* Calls the bad-pointers hostile back until it answers DONE or goes away. */
static void call_back(void)
{
	struct keel_msg req = { VICTIM_OP_CALLBACK, 0 };
	uint8_t rsp[64];

	for (int attempt = 0; attempt < 64; attempt++) {
		long r = keel_chan_call(VICTIM_CALLBACK_SLOT, &req, sizeof(req), rsp, sizeof(rsp));
		if (r >= (long)sizeof(struct keel_msg) && ((struct keel_msg *)rsp)->op == VICTIM_OP_DONE)
			return;
		if (r == KEEL_EPEERCLOSED || r == KEEL_EBADHANDLE)
			return;
	}
	tlog("victim", "callback: hostile never answered DONE");
}

static void serve(keel_handle_t h, size_t n)
{
	const struct keel_msg *m = (const struct keel_msg *)buf;
	uint32_t u32;
	struct victim_where w;

	if (keel_msg_check(buf, n) != 0) {
		int32_t e = KEEL_EINVAL;
		reply(h, KEEL_OP_ERROR, &e, sizeof(e));
		return;
	}
	switch (m->op) {
	case KEEL_OP_PING:
		reply(h, m->op, NULL, 0);
		return;
	case VICTIM_OP_WHERE:
		w.data_addr = (uint64_t)(uintptr_t)secret;
		w.mapped_addr = (uint64_t)(uintptr_t)secret_mapped;
		w.len = SECRET_LEN;
		reply(h, m->op, &w, sizeof(w));
		return;
	case VICTIM_OP_CHECK:
		u32 = (uint32_t)intact();
		reply(h, m->op, &u32, sizeof(u32));
		return;
	case VICTIM_OP_ECHO:
		if (keel_chan_reply(h, buf, n) < 0)
			tlog("victim", "echo reply failed");
		return;
	case VICTIM_OP_CALL_ME:
		reply(h, m->op, NULL, 0);
		call_back();
		return;
	case VICTIM_OP_TICK:
		v.ticks += (uint64_t)v.spinning;
		u32 = (uint32_t)v.spin_ended;
		reply(h, m->op, &u32, sizeof(u32));
		return;
	case VICTIM_OP_SPIN_START:
		v.spinning = 1;
		v.ticks = 0;
		reply(h, m->op, NULL, 0);
		return;
	case VICTIM_OP_SPIN_END:
		v.spinning = 0;
		v.spin_ended = 1;
		reply(h, m->op, &v.ticks, sizeof(v.ticks));
		return;
	default: {
		int32_t e = KEEL_EINVAL;
		reply(h, KEEL_OP_ERROR, &e, sizeof(e));
	}
	}
}

/* Moves live[i] to the end so that a busy peer cannot starve the others. */
static void rotate(size_t i, int drop)
{
	keel_handle_t h = v.live[i];

	memmove(&v.live[i], &v.live[i + 1], (v.nlive - i - 1) * sizeof(v.live[0]));
	if (drop)
		v.nlive--;
	else
		v.live[v.nlive - 1] = h;
}

static void serve_one(void)
{
	long idx = keel_wait(v.live, v.nlive, KEEL_WAIT_FOREVER);
	long n;
	struct tline l;

	if (idx < 0 || (size_t)idx >= v.nlive) {
		v.errors++;
		return;
	}
	n = keel_chan_recv(v.live[idx], buf, sizeof(buf));
	if (n == KEEL_EPEERCLOSED) {
		tl_init(&l, "victim");
		tl_str(&l, "peer on slot ");
		tl_udec(&l, v.live[idx]);
		tl_str(&l, " gone");
		tl_emit(&l);
		keel_handle_close(v.live[idx]);
		rotate((size_t)idx, 1);
		return;
	}
	if (n < 0) {
		v.errors++;
		return;
	}
	serve(v.live[idx], (size_t)n);
	rotate((size_t)idx, 0);
}

static unsigned parse_count(const char *s)
{
	unsigned n = 0;

	while (s && *s >= '0' && *s <= '9')
		n = n * 10 + (unsigned)(*s++ - '0');
	return n;
}

int main(int argc, char **argv)
{
	unsigned peers = parse_count(argc > 1 ? argv[1] : "1");
	long err;
	struct tline l;

	if (peers == 0 || peers > MAX_PEERS) {
		tlog("victim", "FAIL - argv[1] must be the number of hostile peers (1..32)");
		return 1;
	}
	secret_mapped = keel_mem_map(SECRET_LEN, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	if (!secret_mapped) {
		tlog("victim", "FAIL - mem_map for the secret copy");
		return 1;
	}
	fill(secret);
	fill(secret_mapped);
	for (unsigned i = 0; i < peers; i++)
		v.live[v.nlive++] = i + 1;
	while (v.nlive > 0 && v.errors < MAX_ERRORS)
		serve_one();

	tl_init(&l, "victim");
	tl_str(&l, "data secret first bad byte ");
	tl_dec(&l, first_bad(secret));
	tl_str(&l, ", mapped secret first bad byte ");
	tl_dec(&l, first_bad(secret_mapped));
	tl_str(&l, ", errors ");
	tl_dec(&l, v.errors);
	tl_emit(&l);
	if (!intact() || v.nlive > 0) {
		tlog("victim", "FAIL - secret corrupted or peers left");
		return 1;
	}
	tlog("victim", "ok - secret intact after every hostile ended");
	return 0;
}
