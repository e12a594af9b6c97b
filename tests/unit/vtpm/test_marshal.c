/*
 * apps/vtpm/marshal.c and ek.c: big-endian writers/readers stop at the
 * buffer's end; the EK templates are byte for byte the EK profile's; the
 * EK public-area parser accepts only the profile's EKs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../apps/vtpm/ek.h"
#include "../../../apps/vtpm/marshal.h"
#include "../../../apps/vtpm/tpm_const.h"

static void writer_bounds(void **s)
{
	uint8_t b[8];
	struct tpm_wbuf w;
	(void)s;
	tpm_w_init(&w, b, sizeof(b));
	tpm_w_u16(&w, 0x1234);
	tpm_w_u32(&w, 0xa1b2c3d4);
	assert_false(w.bad);
	assert_int_equal(w.n, 6);
	static const uint8_t want[6] = {0x12, 0x34, 0xa1, 0xb2, 0xc3, 0xd4};
	assert_memory_equal(b, want, 6);
	tpm_w_u32(&w, 1); /* 2 bytes left */
	assert_true(w.bad);
	assert_int_equal(w.n, 6);
	tpm_w_u8(&w, 1); /* stays bad */
	assert_true(w.bad);
	tpm_w_init(&w, b, sizeof(b));
	tpm_w_tpm2b(&w, b, 0x10000);
	assert_true(w.bad);
}

static void command_header(void **s)
{
	uint8_t b[64];
	struct tpm_wbuf w;
	(void)s;
	tpm_w_init(&w, b, sizeof(b));
	tpm_w_command(&w, TPM_ST_NO_SESSIONS, TPM_CC_Startup);
	tpm_w_u16(&w, TPM_SU_CLEAR);
	assert_int_equal(tpm_w_finish(&w), 12);
	static const uint8_t want[12] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0};
	assert_memory_equal(b, want, 12);
	tpm_w_command(&w, TPM_ST_SESSIONS, TPM_CC_NV_Write);
	tpm_w_pw_session(&w);
	static const uint8_t pw[13] = {0, 0, 0, 9, 0x40, 0, 0, 9, 0, 0, 0, 0, 0};
	assert_memory_equal(b + 10, pw, 13);
	tpm_w_init(&w, b, 4);
	tpm_w_command(&w, TPM_ST_SESSIONS, 1);
	assert_int_equal(tpm_w_finish(&w), 0);
}

static void nested_size(void **s)
{
	uint8_t b[16];
	struct tpm_wbuf w;
	(void)s;
	tpm_w_init(&w, b, sizeof(b));
	size_t m = tpm_w_size_begin(&w);
	tpm_w_u32(&w, 7);
	tpm_w_size_end(&w, m);
	assert_false(w.bad);
	assert_int_equal(b[0] << 8 | b[1], 4);
	tpm_w_size_end(&w, 99);
	assert_true(w.bad);
}

static void reader_bounds(void **s)
{
	static const uint8_t b[] = {0x00, 0x03, 0xaa, 0xbb, 0xcc, 0x00, 0x09, 0x01};
	struct tpm_rbuf r;
	uint16_t n;
	(void)s;
	tpm_r_init(&r, b, sizeof(b));
	const uint8_t *p = tpm_r_tpm2b(&r, &n);
	assert_ptr_equal(p, b + 2);
	assert_int_equal(n, 3);
	p = tpm_r_tpm2b(&r, &n); /* claims 9 bytes, 1 left */
	assert_null(p);
	assert_int_equal(n, 0);
	assert_true(r.bad);
	assert_int_equal(tpm_r_u32(&r), 0);
	tpm_r_init(&r, NULL, 5);
	assert_true(r.bad);
}

static void response_header(void **s)
{
	uint8_t ok[10] = {0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01};
	struct tpm_rbuf r;
	(void)s;
	assert_int_equal(tpm_r_response(&r, ok, 10), TPM_RC_FAILURE);
	assert_int_equal(tpm_r_response(&r, ok, 9), TPM_R_MALFORMED);
	assert_int_equal(tpm_r_response(&r, ok, 11), TPM_R_MALFORMED);
	ok[0] = 0x00;
	assert_int_equal(tpm_r_response(&r, ok, 10), TPM_R_MALFORMED);
}

/* TCG EK Credential Profile 2.x, template L-1 (RSA-2048), as TPM2B_PUBLIC. */
static void ek_template_rsa(void **s)
{
	static uint8_t b[512];
	struct tpm_wbuf w;
	(void)s;
	tpm_w_init(&w, b, sizeof(b));
	vtpm_ek_template(&w, VTPM_EK_RSA2048);
	assert_false(w.bad);
	static const uint8_t head[] = {
		0x01, 0x3a, 0x00, 0x01, 0x00, 0x0b, 0x00, 0x03, 0x00, 0xb2, 0x00, 0x20,
	};
	assert_int_equal(w.n, 2 + 0x13a);
	assert_memory_equal(b, head, sizeof(head));
	assert_memory_equal(b + 12, vtpm_ek_policy, 32);
	static const uint8_t parms[] = {0x00, 0x06, 0x00, 0x80, 0x00, 0x43, 0x00, 0x10,
					0x08, 0x00, 0, 0, 0, 0, 0x01, 0x00};
	assert_memory_equal(b + 44, parms, sizeof(parms));
	for (size_t i = 60; i < w.n; i++)
		assert_int_equal(b[i], 0);
	/* the template parses back as the profile's EK */
	struct vtpm_ek_pub pub;
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 2, VTPM_EK_RSA2048, &pub), 0);
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 2, VTPM_EK_ECC_P256, &pub), -1);
}

static void ek_template_ecc(void **s)
{
	static uint8_t b[512];
	struct tpm_wbuf w;
	struct vtpm_ek_pub pub;
	(void)s;
	tpm_w_init(&w, b, sizeof(b));
	vtpm_ek_template(&w, VTPM_EK_ECC_P256);
	assert_int_equal(w.n, 2 + 0x7a);
	static const uint8_t parms[] = {0x00, 0x06, 0x00, 0x80, 0x00, 0x43, 0x00, 0x10,
					0x00, 0x03, 0x00, 0x10, 0x00, 0x20};
	assert_int_equal(b[2] << 8 | b[3], TPM_ALG_ECC);
	assert_memory_equal(b + 44, parms, sizeof(parms));
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 2, VTPM_EK_ECC_P256, &pub), 0);
	/* every truncation and a trailing byte are refused */
	for (size_t n = 0; n < w.n - 2; n++)
		assert_int_equal(vtpm_ek_public_parse(b + 2, n, VTPM_EK_ECC_P256, &pub), -1);
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 1, VTPM_EK_ECC_P256, &pub), -1);
	/* a different policy or attribute is not the profile's EK */
	b[12] ^= 1;
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 2, VTPM_EK_ECC_P256, &pub), -1);
	b[12] ^= 1;
	b[9] ^= 0x40; /* userWithAuth */
	assert_int_equal(vtpm_ek_public_parse(b + 2, w.n - 2, VTPM_EK_ECC_P256, &pub), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writer_bounds),  cmocka_unit_test(command_header),
		cmocka_unit_test(nested_size),    cmocka_unit_test(reader_bounds),
		cmocka_unit_test(response_header), cmocka_unit_test(ek_template_rsa),
		cmocka_unit_test(ek_template_ecc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
