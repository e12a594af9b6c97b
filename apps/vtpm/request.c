/*
 * The one parser of outside input in the vtpm: router messages and the
 * SVSM_VTPM_CMD page. Decode only; nothing here acts (docs/vtpm.md has the
 * status codes, chosen to match COCONUT-SVSM's vTPM protocol).
 */
#include <string.h>

#include <keel/msg.h>

#include "request.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static int decode_svsm_call(const uint8_t *m, size_t n, struct vtpm_msg *out)
{
	struct keel_svsm_call c;
	if (n < sizeof(c))
		return -1;
	memcpy(&c, m, sizeof(c));
	if ((size_t)c.buf_len != n - sizeof(c))
		return -1;
	out->kind = VTPM_MSG_SVSM_CALL;
	out->call = c.call;
	out->rcx = c.rcx;
	out->rdx = c.rdx;
	out->buf = m + sizeof(c);
	out->buf_len = c.buf_len;
	return 0;
}

int vtpm_msg_decode(const void *msg, size_t n, struct vtpm_msg *out)
{
	const uint8_t *m = msg;
	struct keel_msg h;
	memset(out, 0, sizeof(*out));
	if (msg == NULL || keel_msg_check(msg, n) != 0)
		return -1;
	memcpy(&h, m, sizeof(h));
	switch (h.op) {
	case KEEL_OP_SVSM_CALL:
		return decode_svsm_call(m, n, out);
	case VTPM_OP_PLATFORM:
		if (h.len != sizeof(uint32_t))
			return -1;
		out->kind = VTPM_MSG_PLATFORM;
		out->signal = le32(m + sizeof(h));
		return 0;
	case KEEL_OP_PING:
		if (h.len != 0)
			return -1;
		out->kind = VTPM_MSG_PING;
		return 0;
	default:
		return -1;
	}
}

uint32_t vtpm_cmd_parse(const uint8_t *buf, size_t len, struct vtpm_cmd *out)
{
	memset(out, 0, sizeof(*out));
	/* The protocol's buffer is one page; the router copies exactly that. */
	if (buf == NULL || len != VTPM_BUFFER_SIZE)
		return SVSM_ERR_INVALID_PARAMETER;
	/* COCONUT-SVSM: an unknown platform command is INVALID_PARAMETER. */
	if (le32(buf) != SVSM_VTPM_PLATFORM_SEND_COMMAND)
		return SVSM_ERR_INVALID_PARAMETER;
	if (buf[4] != 0) /* locality: only 0 is defined */
		return SVSM_ERR_INVALID_PARAMETER;
	uint32_t size = le32(buf + 5);
	if (size > VTPM_MAX_COMMAND)
		return SVSM_ERR_INVALID_PARAMETER;
	out->command = buf + VTPM_REQUEST_HEADER;
	out->size = size;
	return SVSM_SUCCESS;
}

void vtpm_tpm_error_response(uint8_t out[10], uint32_t rc)
{
	put_be16(out, 0x8001u); /* TPM_ST_NO_SESSIONS */
	put_be32(out + 2, VTPM_TPM_RESPONSE_HEADER);
	put_be32(out + 6, rc);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

size_t vtpm_rsp_encode(uint8_t *page, size_t cap, const uint8_t *rsp, size_t rsp_len)
{
	if (cap < VTPM_RESPONSE_HEADER + VTPM_TPM_RESPONSE_HEADER)
		return 0;
	if (rsp == NULL || rsp_len < VTPM_TPM_RESPONSE_HEADER || rsp_len > cap - VTPM_RESPONSE_HEADER ||
	    rsp_len > VTPM_MAX_RESPONSE) {
		vtpm_tpm_error_response(page + VTPM_RESPONSE_HEADER, VTPM_TPM_RC_FAILURE);
		put_le32(page, VTPM_TPM_RESPONSE_HEADER);
		return VTPM_RESPONSE_HEADER + VTPM_TPM_RESPONSE_HEADER;
	}
	memmove(page + VTPM_RESPONSE_HEADER, rsp, rsp_len);
	put_le32(page, (uint32_t)rsp_len);
	return VTPM_RESPONSE_HEADER + rsp_len;
}
