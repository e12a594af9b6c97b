/* The guest's COM2 frames (serial_frame.h). */
#include <string.h>

#include "serial_frame.h"

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ktpm_request(uint8_t *out, size_t cap, uint8_t locality, const uint8_t *cmd, uint32_t len)
{
	if (len > KTPM_CMD_MAX || cap < KTPM_REQ_HEADER + (size_t)len || locality == KTPM_EXIT_LOCALITY)
		return -1;
	put_be32(out, KTPM_MAGIC);
	out[4] = locality;
	put_be32(out + 5, len);
	if (len)
		memcpy(out + KTPM_REQ_HEADER, cmd, len);
	return 0;
}

void ktpm_exit_frame(uint8_t out[KTPM_REQ_HEADER])
{
	put_be32(out, KTPM_MAGIC);
	out[4] = KTPM_EXIT_LOCALITY;
	put_be32(out + 5, 0);
}

int ktpm_response_parse(const uint8_t *buf, size_t len, struct ktpm_response *r)
{
	memset(r, 0, sizeof(*r));
	if (len < 4)
		return KTPM_MORE;
	uint32_t n = be32(buf);
	if (n > KTPM_RSP_MAX) {
		r->error = "response size larger than an SVSM_VTPM_CMD page";
		return KTPM_BAD;
	}
	if (n < KTPM_TPM_HEADER) {
		r->error = "response shorter than a TPM response header";
		return KTPM_BAD;
	}
	if (len < 4 + (size_t)n)
		return KTPM_MORE;
	if (be32(buf + 6) != n) { /* the TPM header's own size field (bytes 2..5 of the response) */
		r->error = "response size disagrees with the TPM header";
		return KTPM_BAD;
	}
	r->data = buf + 4;
	r->len = n;
	r->consumed = 4 + (size_t)n;
	return KTPM_OK;
}
