/*
 * The test guest's main: find the calling area the way Linux does (the
 * secrets page's SVSM fields), then run the mode named on the command line.
 */
#include "guest.h"

int guest_main(const uint8_t *secrets, const char *cmdline);
int guest_cpustate(void); /* cpustate.c */
int proto_echo(void);     /* protoecho.c */
int guest_attest(void);   /* attest.c */

int guest_main(const uint8_t *secrets, const char *cmdline)
{
	uint64_t caa = *(const volatile uint64_t *)(secrets + SECRETS_SVSM_CAA);
	uint32_t max_version = *(const volatile uint32_t *)(secrets + SECRETS_SVSM_MAX_VERSION);
	/* Keel puts the secrets page in the last page of guest memory (docs/guest.md). */
	guest_mem_top = (uint64_t)secrets + GUEST_PAGE;
	guest_ca = (struct svsm_ca *)caa;
	con_puts("[guest] start: mode '");
	con_puts(cmdline);
	con_puts("', calling area ");
	con_hex(caa);
	con_puts(", SVSM max version ");
	con_dec(max_version);
	con_puts("\n");
	if (str_eq(cmdline, "selftest"))
		return selftest();
	if (str_eq(cmdline, "demo"))
		return demo();
	if (str_eq(cmdline, "passthrough"))
		return passthrough();
	if (str_eq(cmdline, "cpustate"))
		return guest_cpustate();
	if (str_eq(cmdline, "proto-echo"))
		return proto_echo();
	if (str_eq(cmdline, "attest"))
		return guest_attest();
	if (str_eq(cmdline, "uefi-passthrough"))
		return uefi_passthrough();
	if (str_starts(cmdline, "uefi-bench"))
		return uefi_bench(cmdline + 10);
	if (str_starts(cmdline, "svsm-bench-vtpm"))
		return svsm_bench_vtpm(cmdline + 15);
	if (str_starts(cmdline, "svsm-bench"))
		return svsm_bench(cmdline + 10);
	if (cmdline[0] == 'f')
		return guest_fault(cmdline);
	con_puts("[guest] unknown mode (selftest, demo, passthrough, cpustate, proto-echo, attest, uefi-passthrough, uefi-bench [N], svsm-bench [N], svsm-bench-vtpm [N] or fault-*)\n");
	return 2;
}
