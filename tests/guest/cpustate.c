/*
 * Mode "cpustate" (tests/system/cpustate-booted.sh): calls protocol 12,
 * served by tests/tasks/cpustate in mode `service`, which replies with NT,
 * AC, DF and IOPL set in its own RFLAGS. The kernel finishes each VMGEXIT
 * with iretq to us: with a task's NT in the kernel's RFLAGS that iretq
 * would fault. After every call, the guest's own state must be its own:
 * AC (which it sets) kept, no NT, DF or IOPL, its x87 control word kept.
 * Then call 9 makes the service fault mid-call: an error, and the guest
 * goes on. The numbers are repeated from tests/tasks/cpustate/cpustate.h.
 */
#include "guest.h"

#define CS_PROTOCOL 12ull
#define CS_CALL_FAULT 9u
#define CS_REPLY_RCX(call) (0xc5000000u + (call))
#define F_DF (1ull << 10)
#define F_IOPL (3ull << 12)
#define F_NT (1ull << 14)
#define F_AC (1ull << 18)
#define GUEST_FCW 0x0e7fu

static unsigned checks, failed;

static void check(int ok, const char *what, uint64_t n, uint64_t got)
{
	checks++;
	failed += !ok;
	con_puts(ok ? "[guest] ok " : "[guest] not ok ");
	con_dec(checks);
	con_puts(" - cpustate call ");
	con_dec(n);
	con_puts(": ");
	con_puts(what);
	if (!ok) {
		con_puts(" (got ");
		con_hex(got);
		con_puts(")");
	}
	con_puts("\n");
}

/* -mno-red-zone: pushf/popf below RSP is safe here. */
static uint64_t rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(v));
	return v;
}

static void set_ac(int on)
{
	uint64_t f = rflags();
	f = on ? f | F_AC : f & ~F_AC;
	__asm__ volatile("pushq %0\n\tpopfq" ::"r"(f) : "cc", "memory");
}

static uint16_t fcw(void)
{
	uint16_t v;
	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void check_own_state(uint64_t n)
{
	uint64_t f = rflags();
	check((f & F_AC) && !(f & (F_NT | F_DF | F_IOPL)), "own RFLAGS: AC kept, no NT, DF, IOPL",
	      n, f);
	check(fcw() == GUEST_FCW, "own x87 control word kept", n, fcw());
}

int guest_cpustate(void)
{
	static const uint16_t own_fcw = GUEST_FCW;
	struct svsm_call c;

	__asm__ volatile("fldcw %0" ::"m"(own_fcw));
	set_ac(1);
	for (uint32_t n = 0; n <= 4; n++) {
		memset(&c, 0, sizeof(c));
		c.rax = CS_PROTOCOL << 32 | n;
		int rc = svsm_call(&c);
		check(rc == 0 && c.rax == 0 && c.rcx == CS_REPLY_RCX(n), "answered by the service",
		      n,
		      rc      ? (uint64_t)rc
		      : c.rax ? c.rax
		              : c.rcx);
		check_own_state(n);
	}
	memset(&c, 0, sizeof(c));
	c.rax = CS_PROTOCOL << 32 | CS_CALL_FAULT;
	int rc = svsm_call(&c);
	check(rc == 0 && c.rax != 0, "the service faulted: an SVSM error, not a reply",
	      CS_CALL_FAULT, rc ? (uint64_t)rc : c.rax);
	check_own_state(CS_CALL_FAULT);
	memset(&c, 0, sizeof(c));
	c.rax = CS_PROTOCOL << 32;
	rc = svsm_call(&c);
	check(rc == 0 && c.rax != 0, "after the service's death: an SVSM error", 0,
	      rc ? (uint64_t)rc : c.rax);
	set_ac(0);
	con_puts("[guest] cpustate: ");
	con_dec(checks);
	con_puts(" checks, ");
	con_dec(checks - failed);
	con_puts(" passed, ");
	con_dec(failed);
	con_puts(" failed\n");
	return failed ? 1 : 0;
}
