/*
 * The SVSM router's logic (kernel/svsm/: dispatch, core protocol, buffer
 * rules, forwarding) and the guest instruction decoder, against a fake
 * guest memory and a scriptable fake service.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <keel/errors.h>
#include <keel/svsm.h>

#include "platform/native/guest_insn.h"
#include "svsm/buffer_rule.h"
#include "svsm/core.h"
#include "svsm/router.h"

#define GBASE 0x100000ull
#define GSIZE 0x50000ull /* room for a 256 KiB buffer */
static uint8_t gmem[GSIZE];
static uint64_t caa;

/* Fake guest memory: [GBASE, GBASE + GSIZE). */
int svsm_gmem_check(uint64_t gpa, uint64_t len)
{
	return (!len || gpa < GBASE || gpa - GBASE > GSIZE || len > GSIZE - (gpa - GBASE)) ? -1 : 0;
}
int svsm_gmem_read(uint64_t gpa, void *dst, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(dst, gmem + (gpa - GBASE), len);
	return 0;
}
int svsm_gmem_write(uint64_t gpa, const void *src, size_t len)
{
	if (svsm_gmem_check(gpa, len))
		return -1;
	memcpy(gmem + (gpa - GBASE), src, len);
	return 0;
}
void svsm_set_calling_area(uint64_t gpa)
{
	caa = gpa;
}
static size_t wiped_max; /* the largest single wipe since reset: the router's copies */
void kmem_wipe(void *p, size_t n)
{
	memset(p, 0, n);
	if (n > wiped_max)
		wiped_max = n;
}

/* The fake service: what it saw, and how it answers. */
enum reply_mode { R_GOOD, R_DESC_GROW, R_DESC_PARTIAL, R_DEAD, R_SHORT, R_BAD_OP, R_BUF_TOO_BIG, R_LEN_MISMATCH, R_RAX_WIDE };
static enum reply_mode mode;
static struct keel_svsm_call seen;
static uint8_t seen_buf[SVSM_BUFFER_MAX];
static int service_calls;

/*
 * Protocol 1's fake (rule 0:rcx-desc:64@0,16,32,48): gives the whole layout
 * back, each named buffer filled with 0xcd and its length cut to 8.
 */
static long desc_reply(void *rsp, size_t rsp_cap)
{
	struct keel_svsm_result r = {{KEEL_OP_SVSM_CALL, 0}, 0, 0x11, 0x22, 0x33, 0, 0};
	uint8_t *b = (uint8_t *)rsp + sizeof(r);
	assert_true(sizeof(r) + seen.buf_len <= rsp_cap);
	memcpy(b, seen_buf, seen.buf_len);
	memset(b + 64, 0xcd, seen.buf_len - 64);
	for (unsigned off = 8; off < 64; off += 16) {
		uint32_t len;
		memcpy(&len, b + off, 4);
		len = len > 8 ? 8 : len;
		if (mode == R_DESC_GROW && off == 56)
			len = 1000;
		memcpy(b + off, &len, 4);
	}
	r.buf_len = seen.buf_len - (mode == R_DESC_PARTIAL ? 1 : 0);
	r.hdr.len = (uint32_t)(sizeof(r) - 8 + r.buf_len);
	memcpy(rsp, &r, sizeof(r));
	return (long)(sizeof(r) + r.buf_len);
}

static long parts_service(const void *req, size_t req_len, void *rsp, size_t rsp_cap);

long svsm_service_call(uint32_t protocol, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct keel_svsm_result r = {{KEEL_OP_SVSM_CALL, 0}, 0, 0x11, 0x22, 0x33, 0, 0};
	service_calls++;
	if (protocol == 4)
		return parts_service(req, req_len, rsp, rsp_cap);
	assert_true(protocol == 1 || protocol == 2 || protocol == 0xffffffffu);
	memcpy(&seen, req, sizeof(seen));
	assert_int_equal(req_len, sizeof(seen) + seen.buf_len);
	assert_int_equal(seen.hdr.len, req_len - 8);
	memcpy(seen_buf, (const uint8_t *)req + sizeof(seen), seen.buf_len);
	if (protocol == 1)
		return desc_reply(rsp, rsp_cap);
	if (mode == R_DEAD)
		return KEEL_EPEERCLOSED;
	r.buf_len = seen.buf_len ? 16 : 0;
	if (mode == R_BUF_TOO_BIG)
		r.buf_len = seen.buf_len + 1;
	r.hdr.len = (uint32_t)(sizeof(r) - 8 + r.buf_len);
	if (mode == R_BAD_OP)
		r.hdr.op = 99;
	if (mode == R_LEN_MISMATCH)
		r.hdr.len++;
	if (mode == R_RAX_WIDE)
		r.rax = 1ull << 40;
	size_t n = sizeof(r) + r.buf_len;
	assert_true(n <= rsp_cap || mode == R_BUF_TOO_BIG);
	memcpy(rsp, &r, sizeof(r));
	memset((uint8_t *)rsp + sizeof(r), 0xab, n > rsp_cap ? 0 : r.buf_len);
	return mode == R_SHORT ? (long)sizeof(r) - 1 : (long)n;
}

/*
 * Protocol 4's fake (rule 1:rcx+rdx:262144): the service side of the parts
 * exchange (keel/svsm.h), checking that the router keeps to it, and
 * breaking it on purpose by ps.bad. Its answer: every byte XOR 0x5a, the
 * first ps.out_len bytes (0: all) back; RCX = the bytes received.
 */
enum parts_bad {
	P_GOOD,
	P_ACK_OP,      /* a part acknowledged with another op */
	P_ACK_OFFSET,  /* ... with the wrong offset */
	P_ACK_DATA,    /* ... with data in it */
	P_ACK_DEAD,    /* the service dies at the second part */
	P_RES_INLINE,  /* a large result with its bytes inline (over the router's capacity) */
	P_RES_BIG,     /* a result buf_len above what was sent */
	P_PULL_OP,     /* a pulled part with another op */
	P_PULL_OFFSET, /* ... at another offset */
	P_PULL_TOTAL,  /* ... naming another total */
	P_PULL_SHORT,  /* ... one byte short */
	P_PULL_LONG,   /* ... one byte long (over the router's capacity) */
	P_PULL_LEN,    /* ... hdr.len disagreeing with the message */
	P_PULL_DEAD,   /* the service dies at the second pull */
};
static struct {
	enum parts_bad bad;
	uint32_t out_len;
	uint32_t got, total; /* pushed so far, of total */
	uint32_t sent, res;  /* pulled so far, of the result's buf_len */
	unsigned pushes, pulls, acks;
	uint8_t in[SVSM_BUFFER_MAX];
} ps;

/* The channel's own rule: a reply over the caller's capacity is refused (KEEL_ETOOBIG). */
static long chan_reply(void *rsp, size_t rsp_cap, const void *msg, size_t n)
{
	if (n > rsp_cap)
		return KEEL_ETOOBIG;
	memcpy(rsp, msg, n);
	return (long)n;
}

static uint32_t fake_part_len(uint32_t off, uint32_t total)
{
	return total - off < SVSM_PART_MAX ? total - off : SVSM_PART_MAX;
}

static long parts_push(const struct keel_svsm_part *p, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct keel_svsm_part a = {{KEEL_OP_SVSM_PART, 8}, p->offset, p->total};
	ps.pushes++;
	if (!p->offset) {
		assert_true(p->total > SVSM_INLINE_MAX && p->total <= SVSM_BUFFER_MAX);
		ps.got = 0;
		ps.total = p->total;
	}
	assert_int_equal(p->offset, ps.got); /* in order, each part whole */
	assert_int_equal(p->total, ps.total);
	assert_int_equal(req_len - sizeof(*p), fake_part_len(ps.got, ps.total));
	assert_int_equal(p->hdr.len, req_len - 8);
	memcpy(ps.in + ps.got, (const uint8_t *)p + sizeof(*p), req_len - sizeof(*p));
	ps.got += (uint32_t)(req_len - sizeof(*p));
	if (ps.bad == P_ACK_DEAD && ps.pushes == 2)
		return KEEL_EPEERCLOSED;
	if (ps.bad == P_ACK_OP)
		a.hdr.op = KEEL_OP_SVSM_CALL;
	if (ps.bad == P_ACK_OFFSET)
		a.offset += 1;
	if (ps.bad == P_ACK_DATA) {
		uint8_t m[17] = {0};
		a.hdr.len = 9;
		memcpy(m, &a, sizeof(a));
		return chan_reply(rsp, rsp_cap, m, sizeof(m));
	}
	ps.acks++;
	return chan_reply(rsp, rsp_cap, &a, sizeof(a));
}

static long parts_call(const struct keel_svsm_call *c, size_t req_len, void *rsp, size_t rsp_cap)
{
	static uint8_t m[sizeof(struct keel_svsm_result) + SVSM_BUFFER_MAX];
	struct keel_svsm_result r = {{KEEL_OP_SVSM_CALL, 40}, 0, 0, 0x22, 0x33, 0, 0};
	size_t n = sizeof(r);
	if (c->buf_len > SVSM_INLINE_MAX) {
		assert_int_equal(req_len, sizeof(*c)); /* no inline bytes after parts */
		assert_int_equal(c->hdr.len, 40);
		assert_int_equal(ps.got, c->buf_len);
	} else {
		assert_int_equal(req_len, sizeof(*c) + c->buf_len);
		memcpy(ps.in, (const uint8_t *)c + sizeof(*c), c->buf_len);
	}
	for (uint32_t i = 0; i < c->buf_len; i++)
		ps.in[i] ^= 0x5a;
	r.rcx = c->buf_len;
	r.buf_len = ps.out_len ? ps.out_len : c->buf_len;
	if (ps.bad == P_RES_BIG)
		r.buf_len = c->buf_len + 1;
	ps.res = r.buf_len;
	ps.sent = 0;
	if (r.buf_len <= SVSM_INLINE_MAX || ps.bad == P_RES_INLINE) {
		r.hdr.len += r.buf_len;
		n += r.buf_len;
		memcpy(m + sizeof(r), ps.in, r.buf_len);
	}
	memcpy(m, &r, sizeof(r));
	return chan_reply(rsp, rsp_cap, m, n);
}

static long parts_pull(const struct keel_svsm_part *p, void *rsp, size_t rsp_cap)
{
	static uint8_t m[KEEL_MSG_MAX + 1];
	struct keel_svsm_part a = {{KEEL_OP_SVSM_PART, 0}, p->offset, p->total};
	uint32_t len = fake_part_len(ps.sent, ps.res);
	ps.pulls++;
	assert_int_equal(p->offset, ps.sent);
	assert_int_equal(p->total, ps.res);
	if (ps.bad == P_PULL_DEAD && ps.pulls == 2)
		return KEEL_EPEERCLOSED;
	a.offset += ps.bad == P_PULL_OFFSET ? 1 : 0;
	a.total += ps.bad == P_PULL_TOTAL ? 1 : 0;
	a.hdr.op = ps.bad == P_PULL_OP ? KEEL_OP_ERROR : KEEL_OP_SVSM_PART;
	len -= ps.bad == P_PULL_SHORT ? 1 : 0;
	len += ps.bad == P_PULL_LONG ? 1 : 0;
	a.hdr.len = 8 + len + (ps.bad == P_PULL_LEN ? 1 : 0);
	memcpy(m, &a, sizeof(a));
	memcpy(m + sizeof(a), ps.in + ps.sent, len);
	ps.sent += len;
	return chan_reply(rsp, rsp_cap, m, sizeof(a) + len);
}

static long parts_service(const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	const struct keel_msg *h = req;
	assert_true(req_len >= 16 && req_len <= KEEL_MSG_MAX);
	assert_int_equal(h->len, req_len - 8);
	if (h->op == KEEL_OP_SVSM_CALL)
		return parts_call(req, req_len, rsp, rsp_cap);
	assert_int_equal(h->op, KEEL_OP_SVSM_PART);
	if (req_len > sizeof(struct keel_svsm_part))
		return parts_push(req, req_len, rsp, rsp_cap);
	return parts_pull(req, rsp, rsp_cap);
}

static int setup(void **state)
{
	static struct manifest m;
	(void)state;
	memset(&m, 0, sizeof(m));
	m.ntasks = 5;
	m.tasks[0].protocol = 2; /* as apps/boot.manifest's vtpm: buffer=1:page */
	m.tasks[0].nbuffers = 1;
	m.tasks[0].buffers[0] = (struct svsm_buffer_rule){SVSM_VTPM_CMD, SVSM_BUFFER_PAGE, 4096, 0, {0}};
	m.tasks[1].protocol = -1;
	m.tasks[2].protocol = 0xffffffffll; /* the top of the range: buffer=7:rcx+rdx:64 */
	m.tasks[2].nbuffers = 1;
	m.tasks[2].buffers[0] = (struct svsm_buffer_rule){7, SVSM_BUFFER_RCX_RDX, 64, 0, {0}};
	m.tasks[3].protocol = 1; /* the attestation request: a descriptor naming four buffers */
	m.tasks[3].nbuffers = 1;
	assert_int_equal(svsm_buffer_rule_parse("0:rcx-desc:64@0,16,32,48", 24,
	                                        &m.tasks[3].buffers[0], 0, 0), 0);
	m.tasks[4].protocol = 4; /* UEFI-MM's rule: large buffers, in parts */
	m.tasks[4].nbuffers = 1;
	m.tasks[4].buffers[0] = (struct svsm_buffer_rule){1, SVSM_BUFFER_RCX_RDX, SVSM_BUFFER_MAX, 0, {0}};
	svsm_router_init(&m);
	memset(gmem, 0, sizeof(gmem));
	memset(&ps, 0, sizeof(ps));
	mode = R_GOOD;
	service_calls = 0;
	caa = 0;
	return 0;
}

static struct svsm_regs call(uint64_t rax, uint64_t rcx, uint64_t rdx)
{
	struct svsm_regs r = {rax, rcx, rdx, 0, 0};
	svsm_handle_call(&r);
	return r;
}

static void core_query_protocol(void **state)
{
	(void)state;
	struct svsm_regs r = call(SVSM_CORE_QUERY_PROTOCOL, 2ull << 32 | 1, 0);
	assert_int_equal(r.rax, SVSM_SUCCESS);
	assert_int_equal(r.rcx, 1ull << 32 | 1);
	r = call(SVSM_CORE_QUERY_PROTOCOL, 9ull << 32 | 1, 0);
	assert_int_equal(r.rax, SVSM_SUCCESS);
	assert_int_equal(r.rcx, 0);
	assert_int_equal(call(SVSM_CORE_PVALIDATE, 0, 0).rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(call(0x12345, 0, 0).rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(call(3ull << 32, 0, 0).rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
	assert_int_equal(call(0xfffffffeull << 32, 0, 0).rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
	assert_int_equal(call(16ull << 32, 0, 0).rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
	r = call(SVSM_CORE_QUERY_PROTOCOL, 0xffffffffull << 32 | 1, 0); /* any 32-bit number routes */
	assert_int_equal(r.rcx, 1ull << 32 | 1);
	r = call(SVSM_CORE_QUERY_PROTOCOL, 0xffffffffull << 32 | 2, 0);
	assert_int_equal(r.rcx, 0);
	assert_int_equal(service_calls, 0);
}

static void core_remap_ca(void **state)
{
	(void)state;
	assert_int_equal(call(SVSM_CORE_REMAP_CA, GBASE + 0x2000, 0).rax, SVSM_SUCCESS);
	assert_int_equal(caa, GBASE + 0x2000);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, GBASE + 0x3008, 0).rax, SVSM_SUCCESS);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, GBASE + 0x3001, 0).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, GBASE + 0x3ffc, 0).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, GBASE + GSIZE, 0).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, 0, 0).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(call(SVSM_CORE_REMAP_CA, ~0ull & ~7ull, 0).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(caa, GBASE + 0x3008); /* failures leave it */
}

static void vtpm_cmd_forwarded(void **state)
{
	(void)state;
	uint64_t page = GBASE + 0x4000;
	gmem[0x4000] = 8;
	gmem[0x4fff] = 0x5a;
	struct svsm_regs r = call(2ull << 32 | SVSM_VTPM_CMD, page, 7);
	assert_int_equal(r.rax, 0);
	assert_int_equal(seen.call, SVSM_VTPM_CMD);
	assert_int_equal(seen.buf_len, 4096);
	assert_int_equal(seen.rcx, page);
	assert_int_equal(seen.rdx, 7);
	assert_int_equal(seen_buf[0], 8);
	assert_int_equal(seen_buf[4095], 0x5a);
	assert_int_equal(r.rcx, 0x11);
	assert_int_equal(r.rdx, 0x22);
	assert_int_equal(r.r8, 0x33);
	assert_int_equal(gmem[0x4000], 0xab); /* 16 bytes back */
	assert_int_equal(gmem[0x400f], 0xab);
	assert_int_equal(gmem[0x4010], 0);
	assert_int_equal(gmem[0x4fff], 0x5a); /* never past buf_len */
}

static void vtpm_query_has_no_buffer(void **state)
{
	(void)state;
	struct svsm_regs r = call(2ull << 32 | SVSM_VTPM_QUERY, 0xdead, 0);
	assert_int_equal(r.rax, 0);
	assert_int_equal(seen.buf_len, 0);
	assert_int_equal(seen.rcx, 0xdead);
}

static void bad_buffers(void **state)
{
	(void)state;
	uint64_t rax = 2ull << 32 | SVSM_VTPM_CMD;
	assert_int_equal(call(rax, GBASE + 0x4008, 0).rax, SVSM_ERR_INVALID_ADDRESS); /* unaligned */
	assert_int_equal(call(rax, GBASE + GSIZE, 0).rax, SVSM_ERR_INVALID_ADDRESS);  /* past the end */
	assert_int_equal(call(rax, GBASE - 0x1000, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(call(rax, 0, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(call(rax, ~0ull & ~0xfffull, 0).rax, SVSM_ERR_INVALID_ADDRESS); /* wraps */
	assert_int_equal(service_calls, 0); /* decode-then-perform: the service never saw them */
}

static void bad_services(void **state)
{
	(void)state;
	static const enum reply_mode bad[] = {R_DEAD, R_SHORT, R_BAD_OP, R_BUF_TOO_BIG, R_LEN_MISMATCH, R_RAX_WIDE};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mode = bad[i];
		memset(gmem + 0x4000, 0x77, 4096);
		struct svsm_regs r = call(2ull << 32 | SVSM_VTPM_CMD, GBASE + 0x4000, 5);
		assert_int_equal(r.rax, SVSM_ERR_INVALID_REQUEST);
		assert_int_equal(r.rdx, 5);              /* registers untouched */
		assert_int_equal(gmem[0x4000], 0x77); /* guest memory untouched */
	}
}

/* A protocol above 16 with a rcx+rdx rule: the rule comes from the manifest task. */
static void high_protocol_rcx_rdx(void **state)
{
	(void)state;
	uint64_t rax = 0xffffffffull << 32 | 7;
	memset(gmem + 0x100, 0x42, 64);
	struct svsm_regs r = call(rax, GBASE + 0x103, 20); /* no alignment asked */
	assert_int_equal(r.rax, 0);
	assert_int_equal(seen.buf_len, 20);
	assert_int_equal(seen_buf[19], 0x42);
	assert_int_equal(gmem[0x103], 0xab);
	assert_int_equal(gmem[0x113], 0x42); /* 16 bytes back, no more */
	assert_int_equal(call(rax, GBASE, 65).rax, SVSM_ERR_INVALID_PARAMETER);      /* over MAX */
	assert_int_equal(call(rax, GBASE, 0).rax, SVSM_ERR_INVALID_PARAMETER);       /* empty */
	assert_int_equal(call(rax, GBASE + GSIZE - 8, 9).rax, SVSM_ERR_INVALID_ADDRESS); /* past the end */
	assert_int_equal(call(rax, ~0ull - 3, 8).rax, SVSM_ERR_INVALID_ADDRESS);     /* wraps */
	assert_int_equal(service_calls, 1);
	r = call(0xffffffffull << 32 | 6, 0xdead, 1ull << 40); /* no rule for call 6: no buffer */
	assert_int_equal(r.rax, 0);
	assert_int_equal(seen.buf_len, 0);
	assert_int_equal(seen.rdx, 1ull << 40);
}

static void put_pair(uint32_t desc, unsigned off, uint64_t gpa, uint32_t len)
{
	memcpy(gmem + desc + off, &gpa, 8);
	memcpy(gmem + desc + off + 8, &len, 4);
}

/* rcx-desc: the descriptor and the buffers it names, in and back out. */
static void desc_forwarded(void **state)
{
	(void)state;
	put_pair(0x100, 0, GBASE + 0x1000, 100);
	put_pair(0x100, 16, GBASE + 0x2000, 64);
	put_pair(0x100, 32, 0xdeadbeef000ull, 0); /* absent: its address is not looked at */
	put_pair(0x100, 48, GBASE + 0x5000, 20);
	memset(gmem + 0x1000, 0x11, 100);
	memset(gmem + 0x2000, 0x22, 64);
	memset(gmem + 0x5000, 0x55, 20);
	gmem[0x100 + 60] = 0x99; /* reserved bytes travel with the descriptor */
	struct svsm_regs r = call(1ull << 32, GBASE + 0x100, 0);
	assert_int_equal(r.rax, 0);
	assert_int_equal(seen.buf_len, 64 + 100 + 64 + 20);
	assert_int_equal(seen_buf[60], 0x99);
	assert_int_equal(seen_buf[64], 0x11);
	assert_int_equal(seen_buf[163], 0x11);
	assert_int_equal(seen_buf[164], 0x22);
	assert_int_equal(seen_buf[228], 0x55);
	assert_int_equal(seen_buf[247], 0x55);
	assert_int_equal(r.rcx, 0x11);
	assert_int_equal(gmem[0x1000], 0xcd); /* 8 bytes back to each, no more */
	assert_int_equal(gmem[0x1007], 0xcd);
	assert_int_equal(gmem[0x1008], 0x11);
	assert_int_equal(gmem[0x2007], 0xcd);
	assert_int_equal(gmem[0x2008], 0x22);
	assert_int_equal(gmem[0x5007], 0xcd);
	assert_int_equal(gmem[0x5008], 0x55);
	assert_int_equal(gmem[0x100 + 8], 100); /* the descriptor is never written back */
}

/* Hostile descriptors: refused before the service sees anything. */
static void desc_hostile(void **state)
{
	(void)state;
	uint64_t rax = 1ull << 32;
	struct {
		uint64_t gpa;
		uint32_t len;
		uint32_t want;
	} bad[] = {
	    {GBASE + 0x1040, 64, SVSM_ERR_INVALID_PARAMETER},      /* overlaps the first */
	    {GBASE + 0x0f00, 0x200, SVSM_ERR_INVALID_PARAMETER},   /* overlaps the descriptor */
	    {GBASE + GSIZE - 4, 8, SVSM_ERR_INVALID_ADDRESS},      /* runs past guest memory */
	    {GBASE - 0x1000, 8, SVSM_ERR_INVALID_ADDRESS},         /* below it */
	    {0xfee00000ull, 8, SVSM_ERR_INVALID_ADDRESS},          /* not RAM */
	    {~0ull - 3, 8, SVSM_ERR_INVALID_ADDRESS},              /* wraps */
	    {GBASE + 0x3000, 0xffffffffu, SVSM_ERR_INVALID_PARAMETER}, /* huge */
	    {GBASE + 0x3000, SVSM_DESC_TOTAL_MAX - 64 - 100 + 1, SVSM_ERR_INVALID_PARAMETER}, /* total */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(gmem, 0, sizeof(gmem));
		put_pair(0xf00, 0, GBASE + 0x1000, 100);
		put_pair(0xf00, 32, bad[i].gpa, bad[i].len);
		struct svsm_regs r = call(rax, GBASE + 0xf00, 5);
		assert_int_equal(r.rax, bad[i].want);
		assert_int_equal(r.rdx, 5);
	}
	/* The total just fits: accepted (placed past the fake memory's end, so refused as an address). */
	put_pair(0xf00, 32, GBASE + GSIZE - 0x1000, SVSM_DESC_TOTAL_MAX - 64 - 100);
	assert_int_equal(call(rax, GBASE + 0xf00, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(call(rax, GBASE + GSIZE - 32, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(call(rax, ~0ull - 31, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(service_calls, 0);
}

/* A reply that grows a buffer or returns part of the layout: nothing reaches the guest. */
static void desc_bad_replies(void **state)
{
	(void)state;
	static const enum reply_mode bad[] = {R_DESC_GROW, R_DESC_PARTIAL};
	for (unsigned i = 0; i < 2; i++) {
		mode = bad[i];
		memset(gmem, 0x77, sizeof(gmem));
		memset(gmem + 0x100, 0, 64);
		put_pair(0x100, 0, GBASE + 0x1000, 100);
		put_pair(0x100, 48, GBASE + 0x2000, 100);
		struct svsm_regs r = call(1ull << 32, GBASE + 0x100, 5);
		assert_int_equal(r.rax, SVSM_ERR_INVALID_REQUEST);
		assert_int_equal(r.rdx, 5);
		assert_int_equal(gmem[0x1000], 0x77);
		assert_int_equal(gmem[0x2000], 0x77);
	}
}


/* Guest memory at GBASE + 0x1000: n bytes of a position-dependent pattern. */
static void big_fill(uint32_t n)
{
	memset(gmem, 0x77, sizeof(gmem));
	for (uint32_t i = 0; i < n; i++)
		gmem[0x1000 + i] = (uint8_t)(i * 7 + (i >> 16));
}

/* Bytes [from, to) are the pattern XOR 0x5a (answered), the rest of the buffer as it was. */
static void big_check(uint32_t n, uint32_t back)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t want = (uint8_t)(i * 7 + (i >> 16));
		if (i < back)
			want ^= 0x5a;
		if (gmem[0x1000 + i] != want)
			fail_msg("byte %u of %u (%u back): %02x, want %02x", i, n, back, gmem[0x1000 + i], want);
	}
	assert_int_equal(gmem[0x0fff], 0x77);
	assert_int_equal(gmem[0x1000 + n], 0x77);
}

/* Large buffers: the exchange per size, and what comes back. */
static void parts_good(void **state)
{
	(void)state;
	static const struct {
		uint32_t n, out, calls, pushes, pulls;
	} c[] = {
	    {4096, 0, 1, 0, 0},           {SVSM_INLINE_MAX, 0, 1, 0, 0},
	    {SVSM_INLINE_MAX + 1, 0, 3, 1, 1}, {SVSM_PART_MAX, 0, 3, 1, 1},
	    {SVSM_PART_MAX + 1, 0, 5, 2, 2},   {65536, 0, 5, 2, 2},
	    {200000, 0, 9, 4, 4},         {SVSM_BUFFER_MAX, 0, 11, 5, 5},
	    {200000, 70000, 7, 4, 2},     {200000, 100, 5, 4, 0}, /* shorter replies */
	    {200000, SVSM_INLINE_MAX + 1, 6, 4, 1},  {SVSM_INLINE_MAX + 1, SVSM_INLINE_MAX, 2, 1, 0},
	};
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		big_fill(c[i].n);
		service_calls = 0;
		memset(&ps, 0, sizeof(ps));
		ps.out_len = c[i].out;
		wiped_max = 0;
		struct svsm_regs r = call(4ull << 32 | 1, GBASE + 0x1000, c[i].n);
		assert_int_equal(r.rax, SVSM_SUCCESS);
		/* the request's copy of the whole buffer, header included, is wiped */
		assert_true(wiped_max >= sizeof(struct keel_svsm_call) + c[i].n);
		assert_int_equal(r.rcx, c[i].n);
		assert_int_equal(service_calls, c[i].calls);
		assert_int_equal(ps.pushes, c[i].pushes);
		assert_int_equal(ps.pulls, c[i].pulls);
		big_check(c[i].n, c[i].out ? c[i].out : c[i].n);
	}
	big_fill(SVSM_BUFFER_MAX + 1);
	service_calls = 0;
	assert_int_equal(call(4ull << 32 | 1, GBASE + 0x1000, SVSM_BUFFER_MAX + 1).rax,
	                 SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(service_calls, 0);
}

/* A service that breaks the exchange anywhere: INVALID_REQUEST, guest untouched. */
static void parts_hostile(void **state)
{
	(void)state;
	static const struct {
		enum parts_bad bad;
		uint32_t n, out;
	} c[] = {
	    {P_ACK_OP, 200000, 0},      {P_ACK_OFFSET, 200000, 0}, {P_ACK_DATA, 70000, 0},
	    {P_ACK_DEAD, 200000, 0},    {P_RES_INLINE, 70000, 0},  {P_RES_BIG, 70000, 0},
	    {P_RES_BIG, 200, 0},        {P_PULL_OP, 200000, 0},    {P_PULL_OFFSET, 200000, 0},
	    {P_PULL_TOTAL, 200000, 0},  {P_PULL_SHORT, 200000, 0}, {P_PULL_SHORT, 70000, 0},
	    {P_PULL_LONG, 200000, 0},   {P_PULL_LONG, SVSM_BUFFER_MAX, 0}, {P_PULL_LEN, 200000, 0},
	    {P_PULL_DEAD, 200000, 0},   {P_PULL_DEAD, SVSM_BUFFER_MAX, 70000},
	};
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		big_fill(c[i].n);
		memset(&ps, 0, sizeof(ps));
		ps.bad = c[i].bad;
		ps.out_len = c[i].out;
		struct svsm_regs r = {4ull << 32 | 1, GBASE + 0x1000, c[i].n, 0x88, 0x99};
		svsm_handle_call(&r);
		if (r.rax != SVSM_ERR_INVALID_REQUEST)
			fail_msg("case %u (bad %d, %u bytes): rax %#llx", i, c[i].bad, c[i].n,
			         (unsigned long long)r.rax);
		assert_int_equal(r.rcx, GBASE + 0x1000); /* registers untouched */
		assert_int_equal(r.rdx, c[i].n);
		assert_int_equal(r.r8, 0x88);
		big_check(c[i].n, 0); /* guest memory untouched */
	}
}

static void guest_insn(void **state)
{
	(void)state;
	struct guest_insn in;
	static const uint8_t vmgexit[] = {0xf3, 0x0f, 0x01, 0xd9}, vmmcall[] = {0x0f, 0x01, 0xd9, 0x90};
	static const uint8_t rd[] = {0x0f, 0x32}, wr[] = {0x0f, 0x30}, out_imm[] = {0xe6, 0x80};
	assert_int_equal(guest_insn_decode(vmgexit, 4, &in), 0);
	assert_int_equal(in.kind, GI_VMGEXIT);
	assert_int_equal(in.len, 4);
	assert_int_equal(guest_insn_decode(vmgexit, 3, &in), -1); /* cut short by an unmapped page */
	assert_int_equal(guest_insn_decode(vmmcall, 4, &in), -1); /* plain VMMCALL is not VMGEXIT */
	assert_int_equal(guest_insn_decode(rd, 2, &in), 0);
	assert_int_equal(in.kind, GI_RDMSR);
	assert_int_equal(guest_insn_decode(wr, 2, &in), 0);
	assert_int_equal(in.kind, GI_WRMSR);
	assert_int_equal(guest_insn_decode(wr, 1, &in), -1);
	assert_int_equal(guest_insn_decode(out_imm, 2, &in), 0);
	assert_int_equal(in.kind, GI_OUT);
	assert_true(in.port_imm && in.imm == 0x80 && in.len == 2);
	assert_int_equal(guest_insn_decode(out_imm, 1, &in), -1);
	assert_int_equal(guest_insn_decode((const uint8_t *)"\xf4", 1, &in), 0);
	assert_int_equal(in.kind, GI_HLT);
	assert_int_equal(guest_insn_decode((const uint8_t *)"\xec", 1, &in), 0);
	assert_true(in.kind == GI_IN && !in.port_imm);
	assert_int_equal(guest_insn_decode((const uint8_t *)"\x0f\x05", 2, &in), -1); /* SYSCALL */
	assert_int_equal(guest_insn_decode(vmgexit, 0, &in), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(core_query_protocol, setup),
		cmocka_unit_test_setup(core_remap_ca, setup),
		cmocka_unit_test_setup(vtpm_cmd_forwarded, setup),
		cmocka_unit_test_setup(vtpm_query_has_no_buffer, setup),
		cmocka_unit_test_setup(bad_buffers, setup),
		cmocka_unit_test_setup(bad_services, setup),
		cmocka_unit_test_setup(high_protocol_rcx_rdx, setup),
		cmocka_unit_test_setup(desc_forwarded, setup),
		cmocka_unit_test_setup(desc_hostile, setup),
		cmocka_unit_test_setup(desc_bad_replies, setup),
		cmocka_unit_test_setup(parts_good, setup),
		cmocka_unit_test_setup(parts_hostile, setup),
		cmocka_unit_test_setup(guest_insn, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
