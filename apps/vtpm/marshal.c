/* Big-endian TPM marshalling helpers (marshal.h). */
#include <string.h>

#include "marshal.h"
#include "tpm_const.h"

void tpm_w_init(struct tpm_wbuf *w, uint8_t *buf, size_t cap)
{
	w->b = buf;
	w->cap = cap;
	w->n = 0;
	w->bad = 0;
}

void tpm_w_bytes(struct tpm_wbuf *w, const void *p, size_t len)
{
	if (w->bad || len > w->cap - w->n) {
		w->bad = 1;
		return;
	}
	if (len)
		memcpy(w->b + w->n, p, len);
	w->n += len;
}

void tpm_w_u8(struct tpm_wbuf *w, uint8_t v)
{
	tpm_w_bytes(w, &v, 1);
}

void tpm_w_u16(struct tpm_wbuf *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	tpm_w_bytes(w, b, sizeof(b));
}

void tpm_w_u32(struct tpm_wbuf *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	tpm_w_bytes(w, b, sizeof(b)); /* all or nothing */
}

void tpm_w_tpm2b(struct tpm_wbuf *w, const void *p, size_t len)
{
	if (len > 0xffffu) {
		w->bad = 1;
		return;
	}
	tpm_w_u16(w, (uint16_t)len);
	tpm_w_bytes(w, p, len);
}

void tpm_w_command(struct tpm_wbuf *w, uint16_t tag, uint32_t cc)
{
	w->n = 0;
	w->bad = 0;
	tpm_w_u16(w, tag);
	tpm_w_u32(w, 0);
	tpm_w_u32(w, cc);
}

void tpm_w_pw_session(struct tpm_wbuf *w)
{
	tpm_w_u32(w, 9); /* authorizationSize: handle 4 + nonce 2 + attrs 1 + hmac 2 */
	tpm_w_u32(w, TPM_RS_PW);
	tpm_w_u16(w, 0); /* nonceCaller */
	tpm_w_u8(w, 0);  /* sessionAttributes */
	tpm_w_u16(w, 0); /* hmac: empty password */
}

size_t tpm_w_finish(struct tpm_wbuf *w)
{
	if (w->bad || w->n < TPM_HEADER_SIZE || w->n > 0xffffffffu)
		return 0;
	uint32_t n = (uint32_t)w->n;
	w->b[2] = (uint8_t)(n >> 24);
	w->b[3] = (uint8_t)(n >> 16);
	w->b[4] = (uint8_t)(n >> 8);
	w->b[5] = (uint8_t)n;
	return w->n;
}

size_t tpm_w_size_begin(struct tpm_wbuf *w)
{
	tpm_w_u16(w, 0);
	return w->n;
}

void tpm_w_size_end(struct tpm_wbuf *w, size_t mark)
{
	if (w->bad || mark < 2 || mark > w->n || w->n - mark > 0xffffu) {
		w->bad = 1;
		return;
	}
	size_t len = w->n - mark;
	w->b[mark - 2] = (uint8_t)(len >> 8);
	w->b[mark - 1] = (uint8_t)len;
}

void tpm_r_init(struct tpm_rbuf *r, const uint8_t *buf, size_t n)
{
	r->b = buf;
	r->n = buf ? n : 0;
	r->off = 0;
	r->bad = buf == NULL;
}

const uint8_t *tpm_r_bytes(struct tpm_rbuf *r, size_t len)
{
	if (r->bad || len > r->n - r->off) {
		r->bad = 1;
		return NULL;
	}
	const uint8_t *p = r->b + r->off;
	r->off += len;
	return p;
}

uint8_t tpm_r_u8(struct tpm_rbuf *r)
{
	const uint8_t *p = tpm_r_bytes(r, 1);
	return p ? p[0] : 0;
}

uint16_t tpm_r_u16(struct tpm_rbuf *r)
{
	const uint8_t *p = tpm_r_bytes(r, 2);
	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t tpm_r_u32(struct tpm_rbuf *r)
{
	uint32_t hi = tpm_r_u16(r);
	return hi << 16 | tpm_r_u16(r);
}

const uint8_t *tpm_r_tpm2b(struct tpm_rbuf *r, uint16_t *len)
{
	*len = tpm_r_u16(r);
	const uint8_t *p = tpm_r_bytes(r, *len);
	if (p == NULL)
		*len = 0;
	return p;
}

uint32_t tpm_r_response(struct tpm_rbuf *r, const uint8_t *rsp, size_t n)
{
	tpm_r_init(r, rsp, n);
	uint16_t tag = tpm_r_u16(r);
	uint32_t size = tpm_r_u32(r);
	uint32_t rc = tpm_r_u32(r);
	if (r->bad || size != n || (tag != TPM_ST_NO_SESSIONS && tag != TPM_ST_SESSIONS))
		return TPM_R_MALFORMED;
	return rc;
}
