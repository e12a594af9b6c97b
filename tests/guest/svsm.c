/*
 * SVSM calls the way Linux makes them (arch/x86/coco/sev:
 * svsm_perform_msr_protocol, svsm_issue_call): save the GHCB MSR, write a
 * VMPL request for VMPL0 (GHCB spec: 0x016 | vmpl << 32), set
 * call_pending, load RAX/RCX/RDX/R8/R9, VMGEXIT (rep vmmcall), read the
 * response (0x017, error code in bits 63:32), take call_pending back (it
 * must be 0: the SVSM served the call), restore the GHCB MSR.
 */
#include "guest.h"

struct svsm_ca *guest_ca;
uint64_t guest_mem_top;

uint64_t ghcb_rdmsr(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(GHCB_MSR));
	return ((uint64_t)hi << 32) | lo;
}

void ghcb_wrmsr(uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(GHCB_MSR), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* Between the VMPL request and VMGEXIT: `gap` loop rounds (2 instructions each). */
static void issue(struct svsm_call *c, uint8_t pending, uint64_t gap)
{
	register uint64_t rax __asm__("rax") = c->rax;
	register uint64_t rcx __asm__("rcx") = c->rcx;
	register uint64_t rdx __asm__("rdx") = c->rdx;
	register uint64_t r8 __asm__("r8") = c->r8;
	register uint64_t r9 __asm__("r9") = c->r9;
	guest_ca->call_pending = pending;
	if (gap)
		__asm__ volatile("1: dec %[g]\n\tjnz 1b\n\trep; vmmcall"
				 : "+r"(rax), "+r"(rcx), "+r"(rdx), "+r"(r8), "+r"(r9), [g] "+r"(gap)
				 :
				 : "memory", "cc");
	else
		__asm__ volatile("rep; vmmcall"
				 : "+r"(rax), "+r"(rcx), "+r"(rdx), "+r"(r8), "+r"(r9)
				 :
				 : "memory");
	c->rax = rax;
	c->rcx = rcx;
	c->rdx = rdx;
	c->r8 = r8;
	c->r9 = r9;
}

static int perform(struct svsm_call *c, uint8_t vmpl, uint8_t pending, uint64_t gap)
{
	uint64_t saved = ghcb_rdmsr();
	ghcb_wrmsr(GHCB_MSR_VMPL_REQ | (uint64_t)vmpl << 32);
	issue(c, pending, gap);
	c->ghcb_resp = ghcb_rdmsr();
	c->pending_left = __atomic_exchange_n(&guest_ca->call_pending, 0, __ATOMIC_SEQ_CST);
	ghcb_wrmsr(saved);
	if ((c->ghcb_resp & 0xfff) != GHCB_MSR_VMPL_RESP || (c->ghcb_resp >> 32) != 0)
		return -1;
	return c->pending_left ? -1 : 0;
}

int svsm_call(struct svsm_call *c)
{
	return perform(c, 0, 1, 0);
}

int svsm_call_gap(struct svsm_call *c, unsigned gap)
{
	return perform(c, 0, 1, gap);
}

int svsm_call_variant(struct svsm_call *c, uint8_t vmpl, uint8_t pending)
{
	return perform(c, vmpl, pending, 0);
}
