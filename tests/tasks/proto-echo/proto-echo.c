/*
 * proto-echo: a test service for an SVSM protocol that is not in the
 * kernel, declared only by its manifest line (tests/system/proto-echo.manifest):
 *
 *   task proto-echo binary=proto-echo memory=4M protocol=0x4B45454C
 *        buffer=1:rcx+rdx:32 buffer=4:rcx+rdx:262144 expect=any
 *
 * It answers on KEEL_HANDLE_ROUTER through apps/svsm/svsm_serve (buffers
 * above one message arrive and leave in parts), booted (the kernel router)
 * and hosted (keel-hosted's guest port), with results that depend only on
 * the call:
 *   call 0  no buffer: RCX = ~RCX, RDX = RDX + 1, R8 = buf_len (0)
 *   call 1  RCX+RDX buffer: the bytes back with a-z upper-cased,
 *           RCX kept, RDX = buf_len, R8 = sum of the bytes received
 *   call 2  a service error: RAX = SVSM_ERR_PROTOCOL_BASE + 2
 *   call 4  a large buffer (up to 256 KiB): every byte i becomes
 *           b ^ 0xa5 ^ (i >> 8 & 0xff), so a misplaced part shows; the
 *           first R8 bytes go back (all when R8 is 0 or above the length);
 *           RCX kept, RDX = buf_len, R8 = sum of the bytes received
 *   others  SVSM_ERR_UNSUPPORTED_CALL
 * Adding it touched nothing under kernel/, syscalls/, libc/, loader/ or tools/.
 */
#include <stdint.h>
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../../../apps/svsm/svsm_serve.h"

#define ECHO_MAX 64u /* call 1: the service's own cap; the manifest's rule (32) is tighter */

static void serve(const struct svsm_call_in *in, struct svsm_call_out *out)
{
	uint64_t sum = 0;
	uint8_t *b = in->buf;
	memset(out, 0, sizeof(*out));
	switch (in->call) {
	case 0:
		out->rcx = ~in->rcx;
		out->rdx = in->rdx + 1;
		out->r8 = in->buf_len;
		break;
	case 1:
		if (in->buf_len > ECHO_MAX) {
			out->rax = SVSM_ERR_INVALID_REQUEST;
			break;
		}
		for (uint32_t i = 0; i < in->buf_len; i++) {
			sum += b[i];
			b[i] = (b[i] >= 'a' && b[i] <= 'z') ? (uint8_t)(b[i] - 'a' + 'A') : b[i];
		}
		out->rcx = in->rcx;
		out->rdx = in->buf_len;
		out->r8 = sum;
		out->buf_len = in->buf_len;
		break;
	case 2:
		out->rax = SVSM_ERR_PROTOCOL_BASE + 2;
		break;
	case 4:
		for (uint32_t i = 0; i < in->buf_len; i++) {
			sum += b[i];
			b[i] = (uint8_t)(b[i] ^ 0xa5 ^ (i >> 8));
		}
		out->rcx = in->rcx;
		out->rdx = in->buf_len;
		out->r8 = sum;
		out->buf_len = in->r8 && in->r8 < in->buf_len ? (uint32_t)in->r8 : in->buf_len;
		break;
	default:
		out->rax = SVSM_ERR_UNSUPPORTED_CALL;
	}
}

int main(void)
{
	struct svsm_serve *s = svsm_serve_new(KEEL_HANDLE_ROUTER);
	if (!s)
		return 1;
	for (;;) {
		struct svsm_call_in in;
		struct svsm_call_out out;
		int rc = svsm_serve_recv(s, &in);
		if (rc < 0)
			return rc == KEEL_EPEERCLOSED ? 0 : 1; /* the router went away */
		serve(&in, &out);
		svsm_serve_reply(s, &out); /* a failed reply: the router gave up, nothing to do */
	}
}
