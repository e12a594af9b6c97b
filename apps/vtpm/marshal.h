/*
 * Big-endian TPM 2.0 marshalling (TPM 2.0 Part 1, "Marshaling") for the
 * few commands the vtpm sends to itself when it provisions the TPM.
 * Writers and readers record an overflow instead of running past the
 * buffer; check `bad` once at the end.
 */
#ifndef VTPM_MARSHAL_H
#define VTPM_MARSHAL_H

#include <stddef.h>
#include <stdint.h>

struct tpm_wbuf {
	uint8_t *b;
	size_t cap, n;
	int bad;
};

struct tpm_rbuf {
	const uint8_t *b;
	size_t n, off;
	int bad;
};

void tpm_w_init(struct tpm_wbuf *w, uint8_t *buf, size_t cap);
void tpm_w_u8(struct tpm_wbuf *w, uint8_t v);
void tpm_w_u16(struct tpm_wbuf *w, uint16_t v);
void tpm_w_u32(struct tpm_wbuf *w, uint32_t v);
void tpm_w_bytes(struct tpm_wbuf *w, const void *p, size_t len);
/* TPM2B: u16 size then the bytes (bad if len > 0xffff). */
void tpm_w_tpm2b(struct tpm_wbuf *w, const void *p, size_t len);
/* Command header with a placeholder size; tpm_w_finish patches it. */
void tpm_w_command(struct tpm_wbuf *w, uint16_t tag, uint32_t cc);
/* An authorization area holding one empty password session (TPM_RS_PW). */
void tpm_w_pw_session(struct tpm_wbuf *w);
/* Patches the command size; returns the total length, or 0 if bad. */
size_t tpm_w_finish(struct tpm_wbuf *w);

/* Opens a u16 size placeholder for a nested sized structure ... */
size_t tpm_w_size_begin(struct tpm_wbuf *w);
/* ... and fills it with the number of bytes written since. */
void tpm_w_size_end(struct tpm_wbuf *w, size_t mark);

void tpm_r_init(struct tpm_rbuf *r, const uint8_t *buf, size_t n);
uint8_t tpm_r_u8(struct tpm_rbuf *r);
uint16_t tpm_r_u16(struct tpm_rbuf *r);
uint32_t tpm_r_u32(struct tpm_rbuf *r);
/* Returns a pointer to the next len bytes (NULL and bad if short). */
const uint8_t *tpm_r_bytes(struct tpm_rbuf *r, size_t len);
/* Reads a TPM2B; *len gets its size. */
const uint8_t *tpm_r_tpm2b(struct tpm_rbuf *r, uint16_t *len);

/*
 * Checks a response header (tag, size = n, rc) and positions r after it.
 * Returns the response code, or 0xffffffff if the header is malformed.
 */
uint32_t tpm_r_response(struct tpm_rbuf *r, const uint8_t *rsp, size_t n);
#define TPM_R_MALFORMED 0xffffffffu

#endif
