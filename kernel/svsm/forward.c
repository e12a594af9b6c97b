/*
 * A call to another protocol's service (docs/svsm-routing.md): decode the
 * buffer by the service's manifest `buffer=` rules (buffer_rule.c), check
 * it against guest memory and copy it in; one channel call to the
 * service's router slot; check the reply; copy buf_len bytes back and set
 * the result registers. Decode-then-perform: the guest's memory
 * and registers change only after a well-formed reply.
 */
#include <keel/svsm.h>

#include "lib/kstring.h"
#include "svsm/buffer_rule.h"
#include "svsm/router.h"

/* One request and one reply: kernel memory, never the guest's or the service's. */
static uint8_t req_buf[sizeof(struct keel_svsm_call) + SVSM_BUFFER_MAX];
static uint8_t rsp_buf[sizeof(struct keel_svsm_result) + SVSM_BUFFER_MAX];
static size_t req_used, rsp_used; /* what the last call touched, to wipe */

/* The reply is ours to trust only after this: length, op, buf_len all agree. */
static int reply_ok(long n, uint32_t sent, const struct keel_svsm_result *r)
{
	if (n < (long)sizeof(*r) || r->hdr.op != KEEL_OP_SVSM_CALL)
		return 0;
	if ((size_t)r->hdr.len != (size_t)n - sizeof(struct keel_msg))
		return 0;
	if (r->rax > 0xffffffffull) /* SVSM result codes are 32-bit */
		return 0;
	return r->buf_len <= sent && (size_t)n == sizeof(*r) + r->buf_len;
}

static size_t build_request(uint32_t call, const struct svsm_regs *regs, uint32_t buf_len)
{
	struct keel_svsm_call *c = (struct keel_svsm_call *)req_buf;
	c->hdr.op = KEEL_OP_SVSM_CALL;
	c->hdr.len = (uint32_t)(sizeof(*c) - sizeof(struct keel_msg) + buf_len);
	c->call = call;
	c->buf_len = buf_len;
	c->rcx = regs->rcx;
	c->rdx = regs->rdx;
	c->r8 = regs->r8;
	c->r9 = regs->r9;
	return sizeof(*c) + buf_len;
}

static uint32_t forward(uint32_t protocol, uint32_t call, struct svsm_regs *regs)
{
	struct svsm_buffer b;
	const struct keel_svsm_result *r = (const struct keel_svsm_result *)rsp_buf;
	size_t nrules;
	const struct svsm_buffer_rule *rules = svsm_router_rules(protocol, &nrules);
	uint32_t rc = svsm_buffer_apply(rules, nrules, call, regs, &b);
	if (rc != SVSM_SUCCESS)
		return rc;
	if (b.len && svsm_gmem_check(b.gpa, b.len))
		return SVSM_ERR_INVALID_ADDRESS;
	req_used = sizeof(struct keel_svsm_call) + b.len;
	if (b.len && svsm_gmem_read(b.gpa, req_buf + sizeof(struct keel_svsm_call), b.len))
		return SVSM_ERR_INVALID_ADDRESS;
	size_t req_len = build_request(call, regs, b.len);
	req_used = req_len;
	rsp_used = sizeof(*r) + b.len;
	long n = svsm_service_call(protocol, req_buf, req_len, rsp_buf, rsp_used);
	if (!reply_ok(n, b.len, r))
		return SVSM_ERR_INVALID_REQUEST; /* service gone, or a malformed reply */
	if (r->buf_len && svsm_gmem_write(b.gpa, rsp_buf + sizeof(*r), r->buf_len))
		return SVSM_ERR_INVALID_ADDRESS;
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
	req_used = rsp_used = 0;
}
