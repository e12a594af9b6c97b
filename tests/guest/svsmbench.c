/*
 * Mode "svsm-bench [N]" (`make bench`, tests/bench/svsm-icount-bench.sh):
 * N core QUERY_PROTOCOL calls (protocol 0, call 6, answered by the kernel
 * itself), each timed with RDTSC around the whole SVSM call as Linux makes
 * it: the GHCB MSR VMPL request, VMGEXIT, the kernel's call, the resume
 * and the response check. Prints
 *   [guest] BENCH name=svsm_core_query calls=N median_cycles=C min_cycles=A max_cycles=B
 * and exits 0 only if every call answered "core protocol, versions 1..1".
 * Mode "svsm-bench-vtpm [N]": the same for N TPM2_PCR_Extend(PCR 16)
 * commands through SVSM_VTPM_CMD (the vtpm service, its state in storaged),
 * each timed around vtpm_cmd (the guest's page marshalling included);
 *   [guest] BENCH name=svsm_vtpm_pcr_extend calls=N ...
 * Under keel-qemu --icount the cycles are instructions.
 */
#include "guest.h"


static uint64_t cycles[BENCH_MAX];

static void report(const char *name, unsigned n)
{
	bench_report(name, cycles, n);
}

static uint8_t page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t rsp[GUEST_PAGE];

/* TPM2_Startup(SU_CLEAR) and TPM2_PCR_Extend(PCR 16, password session, one SHA-256 digest), TPM 2.0 Part 3. */
static const uint8_t startup[12] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0};
static const uint8_t extend[65] = {0x80, 0x02, 0, 0, 0, 65, 0, 0, 0x01, 0x82, 0, 0, 0, 16,
				   0, 0, 0, 9, 0x40, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x0b,
				   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static uint32_t tpm_rc(uint32_t len)
{
	return len < 10 ? ~0u : (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 | (uint32_t)rsp[8] << 8 | rsp[9];
}

int svsm_bench_vtpm(const char *arg)
{
	unsigned n = bench_count(arg);
	uint32_t len = 0;
	uint64_t rax = vtpm_cmd((uint64_t)page, 0, startup, sizeof(startup), rsp, sizeof(rsp), &len);
	if (rax || (tpm_rc(len) != 0 && tpm_rc(len) != 0x100)) { /* 0x100: TPM_RC_INITIALIZE, already started */
		con_puts("[guest] svsm-bench-vtpm: FAIL TPM2_Startup\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();
		rax = vtpm_cmd((uint64_t)page, 0, extend, sizeof(extend), rsp, sizeof(rsp), &len);
		cycles[i] = rdtsc() - t0;
		if (rax || tpm_rc(len) != 0) {
			con_puts("[guest] svsm-bench-vtpm: FAIL TPM2_PCR_Extend: ");
			con_hex(rax ? rax : tpm_rc(len));
			con_puts("\n");
			return 1;
		}
	}
	report("svsm_vtpm_pcr_extend", n);
	return 0;
}

int svsm_bench(const char *arg)
{
	unsigned n = bench_count(arg);
	for (unsigned i = 0; i < n; i++) {
		struct svsm_call c = {.rax = 6, .rcx = 0ull << 32 | 1};
		uint64_t t0 = rdtsc();
		int rc = svsm_call(&c);
		cycles[i] = rdtsc() - t0;
		if (rc || c.rax != 0 || c.rcx != (1ull << 32 | 1)) {
			con_puts("[guest] svsm-bench: FAIL QUERY_PROTOCOL(0, 1): rax ");
			con_hex(c.rax);
			con_puts(" rcx ");
			con_hex(c.rcx);
			con_puts("\n");
			return 1;
		}
	}
	report("svsm_core_query", n);
	return 0;
}
