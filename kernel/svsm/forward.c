/*
 * A call to another protocol's service (docs/svsm-routing.md): decode the
 * buffer by the service's manifest `buffer=` rules (buffer_rule.c), check
 * it against guest memory and copy it in; one channel call to the
 * service's router slot; check the reply; copy buf_len bytes back (per
 * named buffer for rcx-desc) and set the result registers. A buffer above
 * one message (SVSM_INLINE_MAX) goes to the service in parts before the
 * call, and a result that large comes back in parts after it (parts.c).
 * Decode-then-perform: the guest's memory and registers change only after
 * the whole reply, every part of it, is here and well-formed.
 */
#include <keel/svsm.h>

#include "lib/kstring.h"
#include "svsm/buffer_rule.h"
#include "svsm/parts.h"
#include "svsm/router.h"

/*
 * One request and one reply: kernel memory, never the guest's or the
 * service's. The request's buffer holds the whole guest buffer (256 KiB);
 * a result pulled in parts is gathered there too (the request's bytes are
 * spent by then). The reply holds one message: an inline result.
 */
static uint8_t req_buf[sizeof(struct keel_svsm_call) + SVSM_BUFFER_MAX];
static uint8_t rsp_buf[sizeof(struct keel_svsm_result) + SVSM_INLINE_MAX];
static size_t req_used, rsp_used; /* what the last call touched, to wipe */

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * The reply is ours to trust only after this: length, op, buf_len all
 * agree. A result above one message carries no bytes (they follow in parts).
 */
static int reply_ok(long n, uint32_t sent, const struct keel_svsm_result *r)
{
	if (n < (long)sizeof(*r) || r->hdr.op != KEEL_OP_SVSM_CALL)
		return 0;
	if ((size_t)r->hdr.len != (size_t)n - sizeof(struct keel_msg))
		return 0;
	if (r->rax > 0xffffffffull) /* SVSM result codes are 32-bit */
		return 0;
	if (r->buf_len > sent)
		return 0;
	if (r->buf_len > SVSM_INLINE_MAX)
		return (size_t)n == sizeof(*r);
	return (size_t)n == sizeof(*r) + r->buf_len;
}

/* The call's header; its buffer bytes follow inline only when they fit one message. */
static size_t build_request(uint32_t call, const struct svsm_regs *regs, uint32_t buf_len)
{
	struct keel_svsm_call *c = (struct keel_svsm_call *)req_buf;
	uint32_t inline_len = buf_len > SVSM_INLINE_MAX ? 0 : buf_len;
	c->hdr.op = KEEL_OP_SVSM_CALL;
	c->hdr.len = (uint32_t)(sizeof(*c) - sizeof(struct keel_msg) + inline_len);
	c->call = call;
	c->buf_len = buf_len;
	c->rcx = regs->rcx;
	c->rdx = regs->rdx;
	c->r8 = regs->r8;
	c->r9 = regs->r9;
	return sizeof(*c) + inline_len;
}

/* rcx-desc: the buffers the descriptor names (buffer_rule.h). */
static struct svsm_segment segs[SVSM_BUFFER_MAX_SEGS];

/*
 * Copy the call's buffer in after the request header: the one buffer, or
 * an rcx-desc descriptor and then each buffer it names. *total = the bytes
 * copied. Every range is checked against guest memory first.
 */
static uint32_t copy_in(const struct svsm_buffer *b, uint32_t *total)
{
	uint8_t *buf = req_buf + sizeof(struct keel_svsm_call);
	uint32_t rc, i;
	*total = 0;
	if (!b->len)
		return SVSM_SUCCESS;
	if (svsm_gmem_check(b->gpa, b->len))
		return SVSM_ERR_INVALID_ADDRESS;
	req_used = sizeof(struct keel_svsm_call) + b->len;
	if (svsm_gmem_read(b->gpa, buf, b->len))
		return SVSM_ERR_INVALID_ADDRESS;
	*total = b->len;
	if (b->rule->kind != SVSM_BUFFER_DESC)
		return SVSM_SUCCESS;
	/* The descriptor is read once, here: later guest writes to it change nothing. */
	rc = svsm_buffer_desc_segments(b->rule, buf, b->gpa, segs);
	if (rc != SVSM_SUCCESS)
		return rc;
	for (i = 0; i < b->rule->nsegs; i++)
		if (segs[i].len && svsm_gmem_check(segs[i].gpa, segs[i].len))
			return SVSM_ERR_INVALID_ADDRESS;
	for (i = 0; i < b->rule->nsegs; i++) {
		if (!segs[i].len)
			continue;
		req_used = sizeof(struct keel_svsm_call) + *total + segs[i].len;
		if (svsm_gmem_read(segs[i].gpa, buf + *total, segs[i].len))
			return SVSM_ERR_INVALID_ADDRESS;
		*total += segs[i].len;
	}
	return SVSM_SUCCESS;
}

/*
 * Copy the reply's buffer back: buf_len bytes to the one buffer; for
 * rcx-desc, the whole layout or nothing, and to each named buffer the
 * length the reply's descriptor gives at OFF+8 (all checked before any
 * write).
 */
static uint32_t copy_out(const struct svsm_buffer *b, const struct keel_svsm_result *r,
                         const uint8_t *buf, uint32_t sent)
{
	uint32_t i, pos, out;
	if (!r->buf_len)
		return SVSM_SUCCESS;
	if (b->rule->kind != SVSM_BUFFER_DESC)
		return svsm_gmem_write(b->gpa, buf, r->buf_len) ? SVSM_ERR_INVALID_ADDRESS
		                                                : SVSM_SUCCESS;
	if (r->buf_len != sent)
		return SVSM_ERR_INVALID_REQUEST;
	for (i = 0; i < b->rule->nsegs; i++)
		if (svsm_buffer_le32(buf + b->rule->off[i] + 8) > segs[i].len)
			return SVSM_ERR_INVALID_REQUEST;
	for (i = 0, pos = b->len; i < b->rule->nsegs; pos += segs[i].len, i++) {
		out = svsm_buffer_le32(buf + b->rule->off[i] + 8);
		if (out && svsm_gmem_write(segs[i].gpa, buf + pos, out))
			return SVSM_ERR_INVALID_ADDRESS;
	}
	return SVSM_SUCCESS;
}

static uint32_t forward(uint32_t protocol, uint32_t call, struct svsm_regs *regs)
{
	struct svsm_buffer b;
	const struct keel_svsm_result *r = (const struct keel_svsm_result *)rsp_buf;
	uint8_t *data = req_buf + sizeof(struct keel_svsm_call);
	const uint8_t *out = rsp_buf + sizeof(*r);
	size_t nrules;
	const struct svsm_buffer_rule *rules = svsm_router_rules(protocol, &nrules);
	uint32_t total, rc = svsm_buffer_apply(rules, nrules, call, regs, &b);
	if (rc != SVSM_SUCCESS)
		return rc;
	rc = copy_in(&b, &total);
	if (rc != SVSM_SUCCESS)
		return rc;
	if (total > SVSM_INLINE_MAX) {
		rc = svsm_parts_push(protocol, data, total);
		if (rc != SVSM_SUCCESS)
			return rc;
	}
	size_t req_len = build_request(call, regs, total);
	if (req_used < sizeof(struct keel_svsm_call) + total)
		req_used = sizeof(struct keel_svsm_call) + total;
	rsp_used = sizeof(*r) + min_u32(total, SVSM_INLINE_MAX);
	long n = svsm_service_call(protocol, req_buf, req_len, rsp_buf, rsp_used);
	if (!reply_ok(n, total, r))
		return SVSM_ERR_INVALID_REQUEST; /* service gone, or a malformed reply */
	if (r->buf_len > SVSM_INLINE_MAX) {
		rc = svsm_parts_pull(protocol, data, r->buf_len); /* over the spent request bytes */
		if (rc != SVSM_SUCCESS)
			return rc;
		out = data;
	}
	rc = copy_out(&b, r, out, total);
	if (rc != SVSM_SUCCESS)
		return rc;
	regs->rcx = r->rcx;
	regs->rdx = r->rdx;
	regs->r8 = r->r8;
	return (uint32_t)r->rax;
}

void svsm_forward_call(uint32_t protocol, uint32_t call, struct svsm_regs *regs)
{
	regs->rax = forward(protocol, call, regs);
	/* TPM commands and replies carry auth values: leave no copy behind. */
	kmem_wipe(req_buf, req_used);
	kmem_wipe(rsp_buf, rsp_used);
	svsm_parts_wipe();
	req_used = rsp_used = 0;
}
