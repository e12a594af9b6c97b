/*
 * A protocol service that breaks the large-buffer exchange (keel/svsm.h,
 * KEEL_OP_SVSM_PART) on purpose, chosen by the buffer's length, so that the
 * router's checks (kernel/svsm/parts.c, forward.c) can be judged from the
 * guest's side: every case must give the guest SVSM_ERR_INVALID_REQUEST
 * and leave its buffer as it was (tests/hosted/svsm-parts-hostile.sh).
 * Manifest rule: buffer=1:rcx+rdx:262144. By RDX:
 *   70000  well-behaved: every byte + 1 back (the control case)
 *   70001  a pushed part acknowledged with KEEL_OP_SVSM_CALL
 *   70002  ... acknowledged at the wrong offset
 *   70003  ... acknowledged with a data byte in it
 *   70004  a result with buf_len above what was sent
 *   70005  a pulled part with KEEL_OP_ERROR as its op
 *   70006  ... at the wrong offset
 *   70007  ... one byte short
 *   70008  ... one byte long
 *   70009  ... naming the wrong total
 *   70010  exits at the second pushed part (dies mid-exchange)
 *   70011  exits at the second pull
 * It keeps no other state than the exchange in flight, and never checks
 * the router (tests/unit/kernel/test_svsm_router.c does that).
 */
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

static uint8_t msg[KEEL_MSG_MAX];
static uint8_t buf[SVSM_LARGE_BUFFER_MAX + 1];
static uint32_t total, res_len, pushes, pulls;

static uint32_t part_len(uint32_t off, uint32_t all)
{
	return all - off < SVSM_PART_MAX ? all - off : SVSM_PART_MAX;
}

/* A pushed part: keep its bytes, acknowledge (or not) as the length says. */
static long push(long n)
{
	struct keel_svsm_part p;
	uint32_t len = (uint32_t)n - sizeof(p), mode;
	memcpy(&p, msg, sizeof(p));
	if (p.offset == 0)
		pushes = 0;
	total = p.total;
	mode = total - 70000;
	if (p.offset <= SVSM_LARGE_BUFFER_MAX && len <= SVSM_LARGE_BUFFER_MAX - p.offset)
		memcpy(buf + p.offset, msg + sizeof(p), len);
	if (++pushes == 2 && mode == 10)
		keel_exit(0);
	p.hdr.len = 8;
	if (mode == 1)
		p.hdr.op = KEEL_OP_SVSM_CALL;
	if (mode == 2)
		p.offset += 1;
	memcpy(msg, &p, sizeof(p));
	if (mode == 3) {
		msg[sizeof(p)] = 0xee;
		((struct keel_svsm_part *)msg)->hdr.len = 9;
		return keel_chan_reply(KEEL_HANDLE_ROUTER, msg, sizeof(p) + 1);
	}
	return keel_chan_reply(KEEL_HANDLE_ROUTER, msg, sizeof(p));
}

static long call(long n)
{
	struct keel_svsm_call c;
	struct keel_svsm_result r;
	uint32_t inline_len = 0;
	memcpy(&c, msg, sizeof(c));
	if (c.buf_len <= SVSM_INLINE_MAX && (size_t)n == sizeof(c) + c.buf_len)
		memcpy(buf, msg + sizeof(c), c.buf_len);
	if (c.buf_len > SVSM_LARGE_BUFFER_MAX)
		c.buf_len = 0;
	for (uint32_t i = 0; i < c.buf_len; i++)
		buf[i] = (uint8_t)(buf[i] + 1);
	memset(&r, 0, sizeof(r));
	r.hdr.op = KEEL_OP_SVSM_CALL;
	r.rcx = c.buf_len;
	r.buf_len = c.buf_len == 70004 ? c.buf_len + 1 : c.buf_len;
	res_len = r.buf_len;
	pulls = 0;
	if (r.buf_len <= SVSM_INLINE_MAX)
		inline_len = r.buf_len;
	r.hdr.len = (uint32_t)(sizeof(r) - 8 + inline_len);
	memcpy(msg, &r, sizeof(r));
	memcpy(msg + sizeof(r), buf, inline_len);
	return keel_chan_reply(KEEL_HANDLE_ROUTER, msg, sizeof(r) + inline_len);
}

/* A pull: the bytes from the offset asked, spoiled as the length says. */
static long pull(void)
{
	struct keel_svsm_part p;
	uint32_t mode = res_len - 70000, len;
	memcpy(&p, msg, sizeof(p));
	if (p.offset >= res_len || res_len > SVSM_LARGE_BUFFER_MAX)
		p.offset = 0;
	len = part_len(p.offset, res_len);
	if (++pulls == 2 && mode == 11)
		keel_exit(0);
	if (mode == 5)
		p.hdr.op = KEEL_OP_ERROR;
	if (mode == 7)
		len -= 1;
	if (mode == 8 && len < SVSM_PART_MAX)
		len += 1;
	memcpy(msg + sizeof(p), buf + p.offset, len);
	if (mode == 6)
		p.offset += 1;
	if (mode == 9)
		p.total += 1;
	p.hdr.len = 8 + len;
	memcpy(msg, &p, sizeof(p));
	return keel_chan_reply(KEEL_HANDLE_ROUTER, msg, sizeof(p) + len);
}

int main(void)
{
	for (;;) {
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, msg, sizeof(msg));
		struct keel_msg h;
		if (n == KEEL_EPEERCLOSED)
			return 0;
		if (n < (long)sizeof(struct keel_svsm_part))
			return 1; /* the router never sends this */
		memcpy(&h, msg, sizeof(h));
		if (h.op == KEEL_OP_SVSM_CALL && n >= (long)sizeof(struct keel_svsm_call))
			call(n);
		else if (h.op == KEEL_OP_SVSM_PART && n > (long)sizeof(struct keel_svsm_part))
			push(n);
		else if (h.op == KEEL_OP_SVSM_PART)
			pull();
	}
}
