/*
 * proto-echo: a test service for an SVSM protocol that is not in the
 * kernel, declared only by its manifest line (tests/system/proto-echo.manifest):
 *
 *   task proto-echo binary=proto-echo memory=2M protocol=0x4B45454C
 *        buffer=1:rcx+rdx:32 expect=any
 *
 * It answers on KEEL_HANDLE_ROUTER, booted (the kernel router) and hosted
 * (keel-hosted's guest port), with results that depend only on the call:
 *   call 0  no buffer: RCX = ~RCX, RDX = RDX + 1, R8 = buf_len (0)
 *   call 1  RCX+RDX buffer: the bytes back with a-z upper-cased,
 *           RCX kept, RDX = buf_len, R8 = sum of the bytes received
 *   call 2  a service error: RAX = SVSM_ERR_PROTOCOL_BASE + 2
 *   others  SVSM_ERR_UNSUPPORTED_CALL
 * Adding it touched nothing under kernel/, syscalls/, libc/, loader/ or tools/.
 */
#include <stdint.h>
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#define ECHO_MAX 64u /* the service's own cap; the manifest's rule (32) is tighter */

static uint8_t req[sizeof(struct keel_svsm_call) + ECHO_MAX];
static uint8_t rsp[sizeof(struct keel_svsm_result) + ECHO_MAX];

/* One reply for one well-formed call; its length. */
static size_t serve(const struct keel_svsm_call *c, const uint8_t *in, struct keel_svsm_result *r,
                    uint8_t *out)
{
	uint64_t sum = 0;
	memset(r, 0, sizeof(*r));
	r->hdr.op = KEEL_OP_SVSM_CALL;
	switch (c->call) {
	case 0:
		r->rax = SVSM_SUCCESS;
		r->rcx = ~c->rcx;
		r->rdx = c->rdx + 1;
		r->r8 = c->buf_len;
		break;
	case 1:
		for (uint32_t i = 0; i < c->buf_len; i++) {
			sum += in[i];
			out[i] =
			    (in[i] >= 'a' && in[i] <= 'z') ? (uint8_t)(in[i] - 'a' + 'A') : in[i];
		}
		r->rax = SVSM_SUCCESS;
		r->rcx = c->rcx;
		r->rdx = c->buf_len;
		r->r8 = sum;
		r->buf_len = c->buf_len;
		break;
	case 2:
		r->rax = SVSM_ERR_PROTOCOL_BASE + 2;
		break;
	default:
		r->rax = SVSM_ERR_UNSUPPORTED_CALL;
	}
	r->hdr.len = (uint32_t)(sizeof(*r) - sizeof(r->hdr) + r->buf_len);
	return sizeof(*r) + r->buf_len;
}

int main(void)
{
	for (;;) {
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, req, sizeof(req));
		struct keel_svsm_call c;
		struct keel_svsm_result *r = (struct keel_svsm_result *)rsp;
		if (n < 0)
			return n == KEEL_EPEERCLOSED ? 0 : 1; /* the router went away */
		if ((size_t)n < sizeof(c))
			continue;
		memcpy(&c, req, sizeof(c));
		if (c.hdr.op != KEEL_OP_SVSM_CALL || c.buf_len > ECHO_MAX ||
		    (size_t)n != sizeof(c) + c.buf_len) {
			memset(r, 0, sizeof(*r));
			r->hdr.op = KEEL_OP_SVSM_CALL;
			r->hdr.len = sizeof(*r) - sizeof(r->hdr);
			r->rax = SVSM_ERR_INVALID_REQUEST;
			keel_chan_reply(KEEL_HANDLE_ROUTER, r, sizeof(*r));
			continue;
		}
		size_t len = serve(&c, req + sizeof(c), r, rsp + sizeof(*r));
		keel_chan_reply(KEEL_HANDLE_ROUTER, rsp, len);
	}
}
