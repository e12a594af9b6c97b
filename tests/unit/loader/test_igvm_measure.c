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

/* --check-kvm (snp_check_kvm): a passing file, then one file per rule. */
enum kvm_case {
	KVM_OK, KVM_OK_CR0_30, KVM_TWO_VMSAS, KVM_GPA, KVM_CR0_LONG_MODE, KVM_PAGE_AFTER,
	KVM_INSERT_AFTER, KVM_NO_VMSA, KVM_VP1, KVM_NATIVE_PAGE_AFTER_OK, KVM_NO_SNP,
};

static int kvm_file(enum kvm_case c, const char **why)
{
	struct igvm_writer w;
	SEV_VMSA v;
	IgvmNativeVpContextX64 ctx = { .rip = 0x1000 };
	memset(&v, 0, sizeof(v));
	v.cr0 = c == KVM_CR0_LONG_MODE ? 0x80010033 : c == KVM_OK_CR0_30 ? 0x30 : 0x31;
	v.rip = 0x807000;
	v.sev_features = SEV_FEATURE_SNP;
	uint64_t gpa = c == KVM_GPA ? 0xFFFFE000ull : 0xFFFFFFFFF000ull;

	igvm_writer_init(&w);
	assert_int_equal(igvm_add_platform(&w, 1, IGVM_PLATFORM_TYPE_NATIVE, 1), 0);
	if (c != KVM_NO_SNP)
		assert_int_equal(igvm_add_platform(&w, 2, IGVM_PLATFORM_TYPE_SEV_SNP, 1), 0);
	uint32_t all = c == KVM_NO_SNP ? 1 : 3;
	assert_int_equal(igvm_add_param_area(&w, 0, 0x1000), 0);
	assert_int_equal(igvm_add_page(&w, 0x1000, all, 0, 0, page1, 4096), 0);
	assert_int_equal(igvm_add_vp_context(&w, 0, 1, 0, &ctx, sizeof(ctx)), 0);
	if (c != KVM_NO_VMSA && c != KVM_NO_SNP)
		assert_int_equal(igvm_add_vp_context(&w, gpa, 2, c == KVM_VP1 ? 1 : 0, &v,
						     sizeof(v)), 0);
	if (c == KVM_TWO_VMSAS) {
		v.rip = 0x808000;
		assert_int_equal(igvm_add_vp_context(&w, 0xFFFFFFFFE000ull, 2, 1, &v, sizeof(v)), 0);
	}
	if (c == KVM_PAGE_AFTER)
		assert_int_equal(igvm_add_page(&w, 0x2000, 3, 0, 0, page2, 4096), 0);
	if (c == KVM_NATIVE_PAGE_AFTER_OK)
		assert_int_equal(igvm_add_page(&w, 0x2000, 1, 0, 0, page2, 4096), 0);
	if (c == KVM_INSERT_AFTER)
		assert_int_equal(igvm_add_param_insert(&w, 0x3000, 2, 0), 0);
	uint8_t *f;
	size_t len;
	assert_int_equal(igvm_writer_finish(&w, &f, &len), 0);
	igvm_writer_free(&w);
	struct igvm_file pf;
	struct igvm_error e;
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);
	*why = NULL;
	int rc = snp_check_kvm(&pf, why);
	free(f);
	return rc;
}

static void test_check_kvm(void **s)
{
	(void)s;
	static const struct {
		enum kvm_case c;
		const char *needle; /* NULL: passes */
	} cases[] = {
		{ KVM_OK, NULL },
		{ KVM_OK_CR0_30, NULL },
		{ KVM_NATIVE_PAGE_AFTER_OK, NULL },
		{ KVM_TWO_VMSAS, "more than one VMSA" },
		{ KVM_VP1, "VP 0" },
		{ KVM_GPA, "0xFFFFFFFFF000" },
		{ KVM_CR0_LONG_MODE, "CR0" },
		{ KVM_PAGE_AFTER, "follows the VMSA" },
		{ KVM_INSERT_AFTER, "follows the VMSA" },
		{ KVM_NO_VMSA, "no SEV_SNP VMSA" },
		{ KVM_NO_SNP, "no SEV_SNP platform" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why;
		int rc = kvm_file(cases[i].c, &why);
		if (!cases[i].needle) {
			if (rc != 0)
				fail_msg("case %zu: check-kvm failed: %s", i, why);
			continue;
		}
		if (rc != -1 || !why || !strstr(why, cases[i].needle))
			fail_msg("case %zu: want a failure naming \"%s\", got rc %d (%s)", i,
				 cases[i].needle, rc, why ? why : "-");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digest_matches_hand_chain),
		cmocka_unit_test(test_digest_native_zero),
		cmocka_unit_test(test_no_snp_platform),
		cmocka_unit_test(test_check_kvm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
