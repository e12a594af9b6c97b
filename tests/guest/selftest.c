/*
 * Mode "selftest": every check prints "[guest] ok N - what" or
 * "[guest] not ok N - what" on COM1; the exit status is 0 only if every
 * check held (tests/system/svsm-guest.sh turns the lines into TAP).
 */
#include "guest.h"

#define ERR_UNSUPPORTED_PROTOCOL 0x80000001ull
#define ERR_UNSUPPORTED_CALL 0x80000002ull
#define ERR_INVALID_ADDRESS 0x80000003ull
#define ERR_INVALID_PARAMETER 0x80000005ull

static uint8_t page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t new_ca[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t rsp[GUEST_PAGE];
static unsigned checks, failed;

static const uint8_t startup_clear[] = {0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x44, 0, 0};
static const uint8_t get_random16[] = {0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x7b, 0, 0x10};

static void check(int ok, const char *what, uint64_t got)
{
	checks++;
	failed += !ok;
	con_puts(ok ? "[guest] ok " : "[guest] not ok ");
	con_dec(checks);
	con_puts(" - ");
	con_puts(what);
	if (!ok) {
		con_puts(" (got ");
		con_hex(got);
		con_puts(")");
	}
	con_puts("\n");
}

static uint64_t call(uint64_t rax, uint64_t rcx, uint64_t rdx, uint64_t *rcx_out, uint64_t *rdx_out)
{
	struct svsm_call c = {.rax = rax, .rcx = rcx, .rdx = rdx};
	if (svsm_call(&c))
		return ~0ull;
	if (rcx_out)
		*rcx_out = c.rcx;
	if (rdx_out)
		*rdx_out = c.rdx;
	return c.rax;
}

static uint32_t tpm_rc(uint32_t len)
{
	return len < 10 ? ~0u : (uint32_t)rsp[6] << 24 | (uint32_t)rsp[7] << 16 | (uint32_t)rsp[8] << 8 | rsp[9];
}

static void check_core(void)
{
	uint64_t rcx = 0, rdx = 0, rax;
	rax = call(6, 2ull << 32 | 1, 0, &rcx, 0);
	check(rax == 0 && rcx == (1ull << 32 | 1), "QUERY_PROTOCOL vTPM 2/1: supported, versions 1..1",
	      rax ? rax : rcx);
	rax = call(6, 0x7777ull << 32 | 1, 0, &rcx, 0);
	check(rax == 0 && rcx == 0, "QUERY_PROTOCOL unknown protocol: 0", rax ? rax : rcx);
	rax = call(0x55, 0, 0, 0, 0);
	check(rax == ERR_UNSUPPORTED_CALL, "core call 0x55: SVSM_ERR_UNSUPPORTED_CALL", rax);
	rax = call(3ull << 32, 0, 0, 0, 0);
	check(rax == ERR_UNSUPPORTED_PROTOCOL, "protocol 3: SVSM_ERR_UNSUPPORTED_PROTOCOL", rax);
	rax = call(2ull << 32 | 0, 0, 0, &rcx, &rdx);
	check(rax == 0 && rcx == 0x100 && rdx == 0, "SVSM_VTPM_QUERY: RCX=0x100, RDX=0", rax ? rax : rcx);
}

static void check_tpm(const char *what_startup, int startup)
{
	uint32_t n = 0;
	uint64_t rax;
	if (startup) {
		rax = vtpm_cmd((uint64_t)page, 0, startup_clear, sizeof(startup_clear), rsp, sizeof(rsp), &n);
		check(rax == 0 && tpm_rc(n) == 0, what_startup, rax ? rax : tpm_rc(n));
	}
	rax = vtpm_cmd((uint64_t)page, 0, get_random16, sizeof(get_random16), rsp, sizeof(rsp), &n);
	check(rax == 0 && tpm_rc(n) == 0 && n == 10 + 2 + 16 && rsp[11] == 16,
	      startup ? "TPM2_GetRandom(16): 16 bytes" : "vTPM still works: TPM2_GetRandom(16)",
	      rax ? rax : tpm_rc(n));
}

static void check_bad_input(void)
{
	uint32_t n;
	uint64_t rax = vtpm_cmd((uint64_t)page, 1, get_random16, sizeof(get_random16), rsp, sizeof(rsp), &n);
	check(rax == ERR_INVALID_PARAMETER, "locality 1: SVSM_ERR_INVALID_PARAMETER", rax);
	rax = vtpm_cmd((uint64_t)page, 0, get_random16, GUEST_PAGE, rsp, sizeof(rsp), &n);
	check(rax == ERR_INVALID_PARAMETER, "size past the page: SVSM_ERR_INVALID_PARAMETER", rax);
	page[0] = 9; /* platform command 9: not TPM_SEND_COMMAND */
	struct svsm_call c = {.rax = 2ull << 32 | 1, .rcx = (uint64_t)page};
	rax = svsm_call(&c) ? ~0ull : c.rax;
	check(rax == ERR_INVALID_PARAMETER, "unknown platform command: SVSM_ERR_INVALID_PARAMETER", rax);
	rax = vtpm_cmd(guest_mem_top, 0, get_random16, sizeof(get_random16), rsp, sizeof(rsp), &n);
	check(rax == ERR_INVALID_ADDRESS, "buffer past guest memory: SVSM_ERR_INVALID_ADDRESS", rax);
	rax = vtpm_cmd(0x1000, 0, get_random16, sizeof(get_random16), rsp, sizeof(rsp), &n);
	check(rax == ERR_INVALID_ADDRESS, "buffer below guest memory: SVSM_ERR_INVALID_ADDRESS", rax);
	rax = vtpm_cmd((uint64_t)page + 8, 0, get_random16, sizeof(get_random16), rsp, sizeof(rsp), &n);
	check(rax == ERR_INVALID_ADDRESS, "unaligned buffer: SVSM_ERR_INVALID_ADDRESS", rax);
}

static void check_switch(void)
{
	struct svsm_call c = {.rax = 6, .rcx = 2ull << 32 | 1};
	int rc = svsm_call_variant(&c, 1, 1);
	check(rc && (c.ghcb_resp & 0xfff) == GHCB_MSR_VMPL_RESP && (c.ghcb_resp >> 32) != 0 && c.rax == 6,
	      "VMPL request for VMPL1: error response, no call", c.ghcb_resp);
	c = (struct svsm_call){.rax = 6, .rcx = 2ull << 32 | 1};
	rc = svsm_call_variant(&c, 0, 0);
	check(rc == 0 && c.rax == 6 && c.rcx == (2ull << 32 | 1), "call_pending 0: nothing performed",
	      c.rax);
	c = (struct svsm_call){.rax = 6, .rcx = 2ull << 32 | 1};
	rc = svsm_call_gap(&c, 100);
	if (rc && (c.ghcb_resp & 0xfff) == GHCB_MSR_VMPL_REQ) { /* KVM ran VMMCALL as a hypercall */
		checks++;
		con_puts("[guest] ok ");
		con_dec(checks);
		con_puts(" - VMGEXIT 200 instructions after the request # SKIP no #UD from VMMCALL here\n");
	} else {
		check(rc == 0 && c.rax == 0 && c.rcx == (1ull << 32 | 1),
		      "VMGEXIT 200 instructions after the request (#UD path)", c.rax);
	}
}

static void check_remap(void)
{
	struct svsm_ca *old = guest_ca;
	uint64_t rcx = 0;
	uint64_t rax = call(0, (uint64_t)new_ca, 0, 0, 0);
	check(rax == 0, "REMAP_CA to another page", rax);
	if (rax == 0)
		guest_ca = (struct svsm_ca *)new_ca;
	rax = call(6, 2ull << 32 | 1, 0, &rcx, 0);
	check(rax == 0 && rcx == (1ull << 32 | 1), "a call through the new calling area", rax);
	rax = call(0, (uint64_t)new_ca + 1, 0, 0, 0);
	check(rax == ERR_INVALID_PARAMETER, "REMAP_CA unaligned: SVSM_ERR_INVALID_PARAMETER", rax);
	rax = call(0, (uint64_t)new_ca + GUEST_PAGE - 4, 0, 0, 0);
	check(rax == ERR_INVALID_PARAMETER, "REMAP_CA across a page: SVSM_ERR_INVALID_PARAMETER", rax);
	rax = call(0, guest_mem_top, 0, 0, 0);
	check(rax == ERR_INVALID_PARAMETER, "REMAP_CA outside guest memory: SVSM_ERR_INVALID_PARAMETER", rax);
	rax = call(0, (uint64_t)old, 0, 0, 0);
	check(rax == 0, "REMAP_CA back to the first calling area", rax);
	if (rax == 0)
		guest_ca = old;
}

int selftest(void)
{
	check(guest_ca && ((uint64_t)guest_ca & 0xfff) == 0 && (uint64_t)guest_ca < guest_mem_top,
	      "secrets page: SVSM calling area inside guest memory", (uint64_t)guest_ca);
	check_core();
	check_tpm("TPM2_Startup(CLEAR)", 1);
	check_bad_input();
	check_tpm(0, 0);
	check_switch();
	check_remap();
	check_tpm(0, 0);
	con_puts("[guest] selftest: ");
	con_dec(checks);
	con_puts(" checks, ");
	con_dec(checks - failed);
	con_puts(" passed, ");
	con_dec(failed);
	con_puts(" failed\n");
	return failed ? 1 : 0;
}
