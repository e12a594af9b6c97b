/* EK templates and their public areas (ek.h; TCG EK Credential Profile 2.1.5.1). */
#include <string.h>

#include "ek.h"
#include "tpm_const.h"

const uint8_t vtpm_ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
	0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
	0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

/* fixedTPM, fixedParent, sensitiveDataOrigin, adminWithPolicy, restricted, decrypt */
#define EK_ATTRIBUTES                                                                            \
	(TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |       \
	 TPMA_OBJECT_ADMINWITHPOLICY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT)

void vtpm_ek_template(struct tpm_wbuf *w, enum vtpm_ek_kind kind)
{
	static const uint8_t zeros[256];
	size_t mark = tpm_w_size_begin(w);
	tpm_w_u16(w, kind == VTPM_EK_RSA2048 ? TPM_ALG_RSA : TPM_ALG_ECC);
	tpm_w_u16(w, TPM_ALG_SHA256);
	tpm_w_u32(w, EK_ATTRIBUTES);
	tpm_w_tpm2b(w, vtpm_ek_policy, sizeof(vtpm_ek_policy));
	tpm_w_u16(w, TPM_ALG_AES); /* symmetric: AES-128-CFB */
	tpm_w_u16(w, 128);
	tpm_w_u16(w, TPM_ALG_CFB);
	tpm_w_u16(w, TPM_ALG_NULL); /* scheme */
	if (kind == VTPM_EK_RSA2048) {
		tpm_w_u16(w, 2048);
		tpm_w_u32(w, 0);                /* exponent: default */
		tpm_w_tpm2b(w, zeros, 256);     /* unique: 256 zero bytes */
	} else {
		tpm_w_u16(w, TPM_ECC_NIST_P256);
		tpm_w_u16(w, TPM_ALG_NULL);     /* kdf */
		tpm_w_tpm2b(w, zeros, 32);      /* unique.x */
		tpm_w_tpm2b(w, zeros, 32);      /* unique.y */
	}
	tpm_w_size_end(w, mark);
}

/* The fields both kinds share, up to and including the scheme. */
static int parse_common(struct tpm_rbuf *r, uint16_t type)
{
	uint16_t plen;
	if (tpm_r_u16(r) != type || tpm_r_u16(r) != TPM_ALG_SHA256 || tpm_r_u32(r) != EK_ATTRIBUTES)
		return -1;
	const uint8_t *pol = tpm_r_tpm2b(r, &plen);
	if (pol == NULL || plen != sizeof(vtpm_ek_policy) ||
	    memcmp(pol, vtpm_ek_policy, plen) != 0)
		return -1;
	if (tpm_r_u16(r) != TPM_ALG_AES || tpm_r_u16(r) != 128 || tpm_r_u16(r) != TPM_ALG_CFB)
		return -1;
	if (tpm_r_u16(r) != TPM_ALG_NULL)
		return -1;
	return r->bad ? -1 : 0;
}

static int copy_exact(uint8_t *dst, size_t want, const uint8_t *src, uint16_t len)
{
	if (src == NULL || len != want)
		return -1;
	memcpy(dst, src, want);
	return 0;
}

int vtpm_ek_public_parse(const uint8_t *p, size_t n, enum vtpm_ek_kind kind,
			 struct vtpm_ek_pub *out)
{
	struct tpm_rbuf r;
	uint16_t len;
	const uint8_t *u;
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	tpm_r_init(&r, p, n);
	if (kind == VTPM_EK_RSA2048) {
		if (parse_common(&r, TPM_ALG_RSA) != 0 || tpm_r_u16(&r) != 2048)
			return -1;
		out->exponent = tpm_r_u32(&r);
		u = tpm_r_tpm2b(&r, &len);
		if (copy_exact(out->n, sizeof(out->n), u, len) != 0)
			return -1;
	} else {
		if (parse_common(&r, TPM_ALG_ECC) != 0 || tpm_r_u16(&r) != TPM_ECC_NIST_P256 ||
		    tpm_r_u16(&r) != TPM_ALG_NULL)
			return -1;
		u = tpm_r_tpm2b(&r, &len);
		if (copy_exact(out->x, sizeof(out->x), u, len) != 0)
			return -1;
		u = tpm_r_tpm2b(&r, &len);
		if (copy_exact(out->y, sizeof(out->y), u, len) != 0)
			return -1;
	}
	return r.bad || r.off != n ? -1 : 0;
}
