/* vtpm-client: message framing for SVSM calls and platform signals (call.h). */
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../../../apps/vtpm/vtpm_protocol.h"
#include "call.h"

static uint8_t req[KEEL_MSG_MAX], rsp[KEEL_MSG_MAX];

int vc_svsm(uint32_t call, const void *buf, uint32_t buf_len, struct vc_result *res)
{
	struct keel_svsm_call c;
	struct keel_svsm_result r;
	memset(&c, 0, sizeof(c));
	c.hdr.op = KEEL_OP_SVSM_CALL;
	c.hdr.len = (uint32_t)(sizeof(c) - sizeof(c.hdr) + buf_len);
	c.call = call;
	c.buf_len = buf_len;
	memcpy(req, &c, sizeof(c));
	if (buf_len)
		memcpy(req + sizeof(c), buf, buf_len);
	long n = keel_chan_call(VC_HANDLE, req, sizeof(c) + buf_len, rsp, sizeof(rsp));
	if (n < (long)sizeof(r) || keel_msg_check(rsp, (size_t)n) != 0)
		return -1;
	memcpy(&r, rsp, sizeof(r));
	if (r.hdr.op != KEEL_OP_SVSM_CALL || r.buf_len != (size_t)n - sizeof(r) || r.buf_len > buf_len)
		return -1;
	res->rax = r.rax;
	res->rcx = r.rcx;
	res->rdx = r.rdx;
	res->buf_len = r.buf_len;
	res->buf = rsp + sizeof(r);
	return 0;
}

long vc_raw(const void *msg, size_t len, uint32_t *op)
{
	long n = keel_chan_call(VC_HANDLE, msg, len, rsp, sizeof(rsp));
	if (n < (long)sizeof(struct keel_msg))
		return -1;
	memcpy(op, rsp, sizeof(*op));
	return n;
}

int32_t vc_signal(uint32_t signal)
{
	struct keel_msg h = {VTPM_OP_PLATFORM, sizeof(signal)};
	uint32_t op = 0;
	int32_t status;
	memcpy(req, &h, sizeof(h));
	memcpy(req + sizeof(h), &signal, sizeof(signal));
	if (vc_raw(req, sizeof(h) + sizeof(signal), &op) != (long)(sizeof(h) + 4) ||
	    op != VTPM_OP_PLATFORM)
		return -100;
	memcpy(&status, rsp + sizeof(h), sizeof(status));
	return status;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t vc_tpm(const uint8_t *cmd, size_t len, const uint8_t **out, uint32_t *out_len)
{
	static uint8_t page[VTPM_BUFFER_SIZE];
	struct vc_result r;
	uint32_t size;
	if (len > VTPM_BUFFER_SIZE - VTPM_REQUEST_HEADER)
		return 0xffffffffu;
	memset(page, 0, sizeof(page));
	le32(page, SVSM_VTPM_PLATFORM_SEND_COMMAND);
	le32(page + 5, (uint32_t)len);
	memcpy(page + VTPM_REQUEST_HEADER, cmd, len);
	if (vc_svsm(SVSM_VTPM_CMD, page, sizeof(page), &r) != 0 || r.rax != SVSM_SUCCESS ||
	    r.buf_len < 4 + 10)
		return 0xffffffffu;
	memcpy(&size, r.buf, 4);
	if (size + 4u != r.buf_len)
		return 0xffffffffu;
	*out = r.buf + 4;
	*out_len = size;
	return (uint32_t)(*out)[6] << 24 | (uint32_t)(*out)[7] << 16 | (uint32_t)(*out)[8] << 8 |
	       (*out)[9];
}

uint64_t vc_page(uint32_t cmd, uint8_t locality, uint32_t size, uint32_t buf_len)
{
	static uint8_t page[VTPM_BUFFER_SIZE + 16];
	struct vc_result r;
	memset(page, 0, sizeof(page));
	le32(page, cmd);
	page[4] = locality;
	le32(page + 5, size);
	if (buf_len > sizeof(page) || vc_svsm(SVSM_VTPM_CMD, page, buf_len, &r) != 0)
		return ~0ull;
	return r.rax;
}
