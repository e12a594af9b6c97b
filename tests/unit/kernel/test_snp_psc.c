/*
 * kernel/platform/snp/psc.c against a fake hypervisor and a fake RMP:
 * the PSC request encoding and response decoding (GHCB spec #56421
 * §2.3.1), the order rescind-then-PSC (and PSC-then-validate back), and
 * that any failure leaves every page private and validated, or reports
 * the frames lost, never shared memory counted as private.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/snp/ghcb_msr.h"
#include "platform/snp/psc.h"
#include "platform/snp/snp_insn.h"

#define PAGES 8
#define GPA0 0x40000000ull        /* the fake frames' guest-physical base */
#define VA0 0xffff800040000000ull /* and where the direct map has them */
#define GFN(i) ((GPA0 >> 12) + (uint64_t)(i))

struct fake {
	int shared[PAGES], validated[PAGES];
	int psc_calls;
	unsigned psc_fail;  /* bit n-1 set: the n-th request fails */
	uint64_t fail_resp; /* what the failing request gets back */
	int lie;            /* the failing request still changes the page */
	int pv_calls;
	unsigned pv_fail; /* bit n-1 set: the n-th PVALIDATE fails */
	char log[512];    /* "R0 S0 V0 P0 ..." : Rescind, Shared, Validate, Private + page */
	uint64_t last_req;
};

static struct fake f;

static void note(char what, int page)
{
	size_t n = strlen(f.log);
	assert_true(n + 4 < sizeof(f.log));
	f.log[n] = what;
	f.log[n + 1] = (char)('0' + page);
	f.log[n + 2] = ' ';
	f.log[n + 3] = '\0';
}

static uint64_t fake_msr_call(void *ctx, uint64_t req)
{
	(void)ctx;
	f.last_req = req;
	assert_int_equal(req & GHCB_INFO_MASK, GHCB_MSR_PSC_REQ);
	int page = (int)(((req >> 12) & ((1ull << 40) - 1)) - GFN(0));
	unsigned op = (unsigned)(req >> 52) & 0xf;
	assert_true(page >= 0 && page < PAGES);
	note(op == GHCB_PSC_SHARED ? 'S' : 'P', page);
	int fail = (f.psc_fail >> f.psc_calls++) & 1;
	if (!fail || f.lie) {
		/* RMPUPDATE: a page that changes state loses its validation. */
		if (op == GHCB_PSC_SHARED)
			assert_false(f.validated[page]); /* never shared while validated */
		f.shared[page] = op == GHCB_PSC_SHARED;
		f.validated[page] = 0;
	}
	return fail ? f.fail_resp : GHCB_MSR_PSC_RESP;
}

static uint32_t fake_pvalidate(void *ctx, uint64_t va, int validate)
{
	(void)ctx;
	int page = (int)((va - VA0) / 4096);
	assert_true(page >= 0 && page < PAGES && !(va & 4095));
	note(validate ? 'V' : 'R', page);
	if ((f.pv_fail >> f.pv_calls++) & 1)
		return 1; /* FAIL_INPUT */
	if (f.shared[page] && validate)
		return 1; /* a hypervisor-owned page cannot be validated */
	if (f.validated[page] == validate)
		return SNP_RET_NO_UPDATE;
	f.validated[page] = validate;
	return 0;
}

static const struct snp_psc_ops ops = {fake_msr_call, fake_pvalidate, 0};

static int setup(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < PAGES; i++)
		f.validated[i] = 1; /* private memory as the kernel has it */
	f.fail_resp = GHCB_MSR_PSC_RESP | (1ull << 32);
	return 0;
}

static void all_private(int n)
{
	for (int i = 0; i < n; i++) {
		assert_false(f.shared[i]);
		assert_true(f.validated[i]);
	}
}

static void request_encoding_and_response_decoding(void **state)
{
	(void)state;
	f.validated[0] = f.validated[3] = 0; /* rescinded, as snp_psc_share leaves them */
	assert_int_equal(snp_psc_request(&ops, GPA0 + 0x3000, GHCB_PSC_SHARED), 0);
	assert_int_equal(f.last_req, (2ull << 52) | (GFN(3) << 12) | 0x14);
	assert_int_equal(snp_psc_request(&ops, GPA0 + 0x3000, GHCB_PSC_PRIVATE), 0);
	assert_int_equal(f.last_req, (1ull << 52) | (GFN(3) << 12) | 0x14);
	f.psc_fail = 1u << 2; /* a non-zero error in GHCBData[63:32] */
	assert_int_equal(snp_psc_request(&ops, GPA0, GHCB_PSC_SHARED), -1);
	f.psc_fail = 1u << 3, f.fail_resp = GHCB_MSR_REG_GPA_RESP; /* not a PSC response at all */
	assert_int_equal(snp_psc_request(&ops, GPA0, GHCB_PSC_SHARED), -1);
	f.psc_fail = 1u << 4, f.fail_resp = 0x15ull | (0xffffffffull << 32);
	assert_int_equal(snp_psc_request(&ops, GPA0, GHCB_PSC_SHARED), -1);
}

static void share_rescinds_before_the_page_state_change(void **state)
{
	(void)state;
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 3), SNP_PSC_OK);
	assert_string_equal(f.log, "R0 S0 R1 S1 R2 S2 ");
	for (int i = 0; i < 3; i++)
		assert_true(f.shared[i] && !f.validated[i]);
	all_private(0);
	assert_true(f.validated[3]); /* the page after them untouched */
	f.log[0] = '\0';
	assert_int_equal(snp_psc_unshare(&ops, GPA0, VA0, 3), SNP_PSC_OK);
	assert_string_equal(f.log, "P0 V0 P1 V1 P2 V2 ");
	all_private(PAGES);
}

static void refused_psc_leaves_every_page_private(void **state)
{
	(void)state;
	f.psc_fail = 1u << 2; /* page 2's conversion */
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 4), SNP_PSC_FAILED);
	/* page 2 validated again; pages 0 and 1 back to private, then validated */
	assert_string_equal(f.log, "R0 S0 R1 S1 R2 S2 V2 P0 V0 P1 V1 ");
	all_private(PAGES);
}

static void failed_rescind_changes_nothing(void **state)
{
	(void)state;
	f.pv_fail = 1u << 0;
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 2), SNP_PSC_FAILED);
	assert_string_equal(f.log, "R0 ");
	assert_int_equal(f.psc_calls, 0); /* the host was never asked */
	all_private(PAGES);
	setup(state);
	f.pv_fail = 1u << 1; /* page 1's rescind: page 0 goes back */
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 2), SNP_PSC_FAILED);
	assert_string_equal(f.log, "R0 S0 R1 P0 V0 ");
	all_private(PAGES);
}

static void a_lying_host_makes_the_frames_lost(void **state)
{
	(void)state;
	/* The host answers "error" but made page 0 shared: it cannot be validated again. */
	f.psc_fail = 1u << 0, f.lie = 1;
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 2), SNP_PSC_LOST);
	assert_string_equal(f.log, "R0 S0 V0 ");
	setup(state);
	/* Page 1 refused, then page 0 refused on its way back: lost, never reused as private. */
	f.psc_fail = (1u << 1) | (1u << 2);
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 2), SNP_PSC_LOST);
	assert_string_equal(f.log, "R0 S0 R1 S1 V1 P0 ");
	assert_true(f.shared[0]);
	setup(state);
	/* Page 1 refused and cannot be validated again: lost, page 0 still goes back. */
	f.psc_fail = 1u << 1, f.pv_fail = 1u << 2;
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 2), SNP_PSC_LOST);
	assert_string_equal(f.log, "R0 S0 R1 S1 V1 P0 V0 ");
	assert_true(!f.shared[0] && f.validated[0]);
}

static void unshare_failure_is_lost_but_goes_on(void **state)
{
	(void)state;
	assert_int_equal(snp_psc_share(&ops, GPA0, VA0, 3), SNP_PSC_OK);
	f.log[0] = '\0';
	f.psc_fail = 1u << (f.psc_calls + 1); /* page 1 stays shared */
	assert_int_equal(snp_psc_unshare(&ops, GPA0, VA0, 3), SNP_PSC_LOST);
	assert_string_equal(f.log, "P0 V0 P1 P2 V2 ");
	assert_true(f.validated[0] && f.validated[2] && f.shared[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(request_encoding_and_response_decoding, setup),
	    cmocka_unit_test_setup(share_rescinds_before_the_page_state_change, setup),
	    cmocka_unit_test_setup(refused_psc_leaves_every_page_private, setup),
	    cmocka_unit_test_setup(failed_rescind_changes_nothing, setup),
	    cmocka_unit_test_setup(a_lying_host_makes_the_frames_lost, setup),
	    cmocka_unit_test_setup(unshare_failure_is_lost_but_goes_on, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
