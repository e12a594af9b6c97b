/*
 * Pure platform logic: GHCB MSR protocol encodings (GHCB spec #56421
 * §2.3.1), the SVSM router table, and the RTC date arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "platform/native/time.h"
#include "platform/snp/ghcb_msr.h"
#include "platform/snp/snp_insn.h"
#include "svsm/core.h"
#include "svsm/router.h"

static void ghcb_requests_encode_per_spec(void **state)
{
	(void)state;
	assert_int_equal(ghcb_msr_cpuid_req(0x8000001f, 1), 0x8000001f40000004ull);
	assert_int_equal(ghcb_msr_psc_req(0x1234, GHCB_PSC_SHARED), (2ull << 52) | (0x1234ull << 12) | 0x14);
	assert_int_equal(ghcb_msr_register_gpa_req(0xabcde), (0xabcdeull << 12) | 0x12);
	assert_int_equal(ghcb_msr_vmpl_req(0), 0x16);
	assert_int_equal(ghcb_msr_vmpl_req(2), (2ull << 32) | 0x16);
	assert_int_equal(ghcb_msr_term_req(0, 3), (3ull << 16) | 0x100);
	assert_int_equal(ghcb_msr_hv_features_req(), 0x80);
}

static void ghcb_responses_decode_and_mismatch(void **state)
{
	struct ghcb_sev_info info;
	uint32_t v;
	uint64_t f;
	(void)state;
	assert_int_equal(ghcb_msr_sev_info_decode(0x0002000133000001ull, &info), 0);
	assert_int_equal(info.max_version, 2);
	assert_int_equal(info.min_version, 1);
	assert_int_equal(info.cbit, 0x33);
	assert_int_equal(ghcb_msr_sev_info_decode(0x0001000233000001ull, &info), -1); /* min > max */
	assert_int_equal(ghcb_msr_cpuid_decode(0x1234567800000005ull, &v), 0);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(ghcb_msr_cpuid_decode(0x1234567800000004ull, &v), -1);
	assert_int_equal(ghcb_msr_psc_decode(0x0000000700000015ull, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(ghcb_msr_register_gpa_decode((0xabcdeull << 12) | 0x13, 0xabcde), 0);
	assert_int_equal(ghcb_msr_register_gpa_decode((0xabcdfull << 12) | 0x13, 0xabcde), -1);
	assert_int_equal(ghcb_msr_vmpl_decode(0x17, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ghcb_msr_hv_features_decode((0x3ull << 12) | 0x81, &f), 0);
	assert_int_equal(f, 3);
	assert_int_equal(sizeof(struct svsm_calling_area), 4096);
}

static void router_sends_protocols_to_their_task(void **state)
{
	static struct manifest m;
	(void)state;
	memset(&m, 0, sizeof(m));
	m.ntasks = 3;
	m.tasks[0].protocol = -1;
	m.tasks[1].protocol = 2;
	m.tasks[2].protocol = 4;
	svsm_router_init(&m);
	struct svsm_route r = svsm_route((2ull << 32) | 1);
	assert_int_equal(r.kind, SVSM_ROUTE_TASK);
	assert_int_equal(r.task, 1);
	assert_int_equal(r.call, 1);
	assert_int_equal(svsm_route(4ull << 32).task, 2);
	assert_int_equal(svsm_route(SVSM_CORE_QUERY_PROTOCOL).kind, SVSM_ROUTE_CORE);
	assert_int_equal(svsm_route(3ull << 32).kind, SVSM_ROUTE_NONE);
	assert_int_equal(svsm_route(0xffffffffull << 32).kind, SVSM_ROUTE_NONE);
	assert_int_equal(svsm_core_query_protocol((2ull << 32) | 1), (1ull << 32) | 1);
	assert_int_equal(svsm_core_query_protocol((3ull << 32) | 1), 0);
	assert_int_equal(svsm_core_query_protocol((2ull << 32) | 2), 0);
}

static void rtc_dates_to_days(void **state)
{
	(void)state;
	assert_int_equal(rtc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rtc_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(rtc_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(rtc_days_from_civil(1969, 12, 31), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ghcb_requests_encode_per_spec),
		cmocka_unit_test(ghcb_responses_decode_and_mismatch),
		cmocka_unit_test(router_sends_protocols_to_their_task),
		cmocka_unit_test(rtc_dates_to_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
