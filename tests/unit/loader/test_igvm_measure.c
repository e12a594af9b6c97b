/* snp_measure: the digest of a tiny synthetic file equals the PAGE_INFO
 * chain computed here by hand (byte offsets from the SNP ABI spec's
 * PAGE_INFO table, SHA-384 from OpenSSL), not with the library's struct. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/sha.h>

#include "igvm_parse.h"
#include "igvm_write.h"
#include "snp_measure.h"

static uint8_t page1[4096], page2[4096], zero[4096], vmsa_page[4096];

/* PAGE_INFO: digest_cur 0x00, contents 0x30, length 0x60, page_type 0x62,
 * imi 0x63, reserved/vmpl perms 0x64..0x67, gpa 0x68; 0x70 bytes. */
static void chain(uint8_t digest[48], uint8_t type, uint64_t gpa, const uint8_t *page)
{
	uint8_t pi[0x70];
	memset(pi, 0, sizeof(pi));
	memcpy(pi, digest, 48);
	if (page)
		SHA384(page, 4096, pi + 0x30);
	pi[0x60] = 0x70;
	pi[0x62] = type;
	for (int i = 0; i < 8; i++)
		pi[0x68 + i] = (uint8_t)(gpa >> (8 * i));
	SHA384(pi, sizeof(pi), digest);
}

static void build(uint8_t **f, size_t *len)
{
	struct igvm_writer w;
	SEV_VMSA vmsa;
	memset(&vmsa, 0, sizeof(vmsa));
	vmsa.rip = 0xfff0;
	vmsa.sev_features = SEV_FEATURE_SNP;
	memcpy(vmsa_page, &vmsa, sizeof(vmsa));
	for (int i = 0; i < 4096; i++) {
		page1[i] = (uint8_t)(i ^ 0x5a);
		page2[i] = (uint8_t)(i >> 3);
	}
	igvm_writer_init(&w);
	assert_int_equal(igvm_add_platform(&w, 1, IGVM_PLATFORM_TYPE_NATIVE, 1), 0);
	assert_int_equal(igvm_add_platform(&w, 2, IGVM_PLATFORM_TYPE_SEV_SNP, 1), 0);
	assert_int_equal(igvm_add_param_area(&w, 0, 4096), 0);
	assert_int_equal(igvm_add_param_insert(&w, 0x3000, 3, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x10000, 3, 0, 0, page1, 4096), 0);
	assert_int_equal(igvm_add_page(&w, 0x11000, 2, 0, 0, page2, 4096), 0);
	assert_int_equal(igvm_add_page(&w, 0x12000, 1, 0, 0, page2, 4096), 0); /* native only */
	assert_int_equal(igvm_add_page(&w, 0x13000, 3, 0, 0, NULL, 0), 0);      /* zero page */
	assert_int_equal(igvm_add_page(&w, 0x14000, 2, 0, IGVM_PAGE_DATA_TYPE_CPUID_DATA, NULL, 0), 0);
	assert_int_equal(igvm_add_page(&w, 0x15000, 2, 0, IGVM_PAGE_DATA_TYPE_SECRETS, NULL, 0), 0);
	assert_int_equal(igvm_add_vp_context(&w, 0xFFFFFFFFF000ull, 2, 0, &vmsa, sizeof(vmsa)), 0);
	assert_int_equal(igvm_writer_finish(&w, f, len), 0);
	igvm_writer_free(&w);
}

static void measure_both(int native_zero)
{
	uint8_t *f;
	size_t len;
	build(&f, &len);
	struct igvm_file pf;
	struct igvm_error e;
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);

	uint8_t want[48] = { 0 };
	chain(want, 4, 0x3000, NULL);
	chain(want, 1, 0x10000, page1);
	chain(want, 1, 0x11000, page2);
	if (native_zero)
		chain(want, 3, 0x13000, NULL);
	else
		chain(want, 1, 0x13000, zero);
	chain(want, 6, 0x14000, NULL);
	chain(want, 5, 0x15000, NULL);
	chain(want, 2, 0xFFFFFFFFF000ull, vmsa_page);

	struct snp_measure_opts o = { .native_zero = native_zero };
	uint8_t got[48];
	const char *msg = NULL;
	assert_int_equal(snp_measure(&pf, &o, got, &msg), 0);
	assert_memory_equal(got, want, 48);
	free(f);
}

static void test_digest_matches_hand_chain(void **s)
{
	(void)s;
	measure_both(0);
}

static void test_digest_native_zero(void **s)
{
	(void)s;
	measure_both(1);
}

static void test_no_snp_platform(void **s)
{
	(void)s;
	struct igvm_writer w;
	uint8_t *f;
	size_t len;
	igvm_writer_init(&w);
	assert_int_equal(igvm_add_platform(&w, 1, IGVM_PLATFORM_TYPE_NATIVE, 1), 0);
	assert_int_equal(igvm_writer_finish(&w, &f, &len), 0);
	igvm_writer_free(&w);
	struct igvm_file pf;
	struct igvm_error e;
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);
	uint8_t d[48];
	const char *msg = NULL;
	assert_int_equal(snp_measure(&pf, NULL, d, &msg), -1);
	assert_non_null(msg);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_matches_hand_chain),
		cmocka_unit_test(test_digest_native_zero),
		cmocka_unit_test(test_no_snp_platform),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
