/*
 * The hostile side: each mode leaves one piece of CPU state dangerous and
 * then enters the kernel every way a task can (timer interrupt while it
 * spins, yield, chan_call, chan_reply, a fault). The kernel must neither
 * run with that state nor hand it to anyone else; the keeper checks the
 * latter, the kernel itself the former (trap_check_kernel_rflags), and
 * this task its own flags after each syscall as docs/kernel.md states:
 * AC and DF are kept, NT is cleared (booted; Linux keeps it), IOPL stays 0.
 */
#include <string.h>

#include "cpustate.h"

#define SPIN_LOOPS 30000000ull /* several timer ticks under TCG */

static uint64_t bit_of(const char *name)
{
	if (!strcmp(name, "nt"))
		return CS_RFLAGS_NT;
	if (!strcmp(name, "ac"))
		return CS_RFLAGS_AC;
	if (!strcmp(name, "df"))
		return CS_RFLAGS_DF;
	if (!strcmp(name, "iopl"))
		return CS_RFLAGS_IOPL;
	if (!strncmp(name, "tf", 2))
		return CS_RFLAGS_TF;
	return 0;
}

long cs_keeper_call(uint32_t op, uint64_t set, uint64_t *after)
{
	struct keel_msg m = {op, 0};
	uint8_t rsp[64];
	struct cs_call c = {KEEL_SYS_CHAN_CALL,
	                    {CS_KEEPER_SLOT, (long)&m, sizeof(m), (long)rsp, sizeof(rsp)},
	                    set,
	                    0};
	long r = cs_syscall(&c);
	if (after)
		*after = c.after;
	return r;
}

/* Our own flags after a syscall made with `bit` set. */
static void check_after(const char *how, uint64_t bit, uint64_t after)
{
	char what[96];
	uint64_t want = bit;
	if (bit == CS_RFLAGS_IOPL)
		want = 0; /* POPF at CPL 3 leaves IOPL alone */
	if (bit == CS_RFLAGS_NT && cs_hosted())
		want = after & bit; /* Linux leaves a process its NT: nothing to check */
	else if (bit == CS_RFLAGS_NT)
		want = 0; /* the kernel clears it on the way out */
	strcpy(what, "own flag after ");
	strcat(what, how);
	tcheck_eq(what, (long)(after & bit), (long)want);
	tcheck_eq("own MXCSR kept", cs_mxcsr(), CS_HOSTILE_MXCSR);
	tcheck_eq("own x87 control word kept", cs_fcw(), CS_HOSTILE_FCW);
}

static long sys_with(uint64_t bit, long nr, long a0, long a1, long a2, uint64_t *after)
{
	struct cs_call c = {nr, {a0, a1, a2, 0, 0}, bit, 0};
	long r = cs_syscall(&c);
	*after = c.after;
	return r;
}

void cs_flag_mode(const char *name)
{
	uint64_t bit = bit_of(name), after = 0;
	uint8_t buf[64];
	struct keel_msg pong = {CS_OP_PING, 0};
	long r;

	cs_set_mxcsr(CS_HOSTILE_MXCSR);
	cs_set_fcw(CS_HOSTILE_FCW);
	if (!strcmp(name, "tf-yield")) {
		tlog(tcheck_prefix,
		     "yield with TF set (expect the kernel to kill this task with #DB)");
		sys_with(bit, KEEL_SYS_YIELD, 0, 0, 0, &after);
		return;
	}
	if (!strcmp(name, "tf-call")) {
		tlog(tcheck_prefix, "chan_call with TF set (expect a kill with #DB)");
		cs_keeper_call(CS_OP_PING, bit, &after);
		return;
	}
	if (bit != CS_RFLAGS_TF) { /* tf-reply: TF for the reply only */
		tlog(tcheck_prefix, "spinning with the flag set (timer interrupts)");
		cs_spin_with(bit, SPIN_LOOPS);
		r = sys_with(bit, KEEL_SYS_YIELD, 0, 0, 0, &after);
		tcheck_eq("yield", r, 0);
		check_after("yield", bit, after);
		r = cs_keeper_call(CS_OP_PING, bit, &after);
		tcheck_eq("chan_call to the keeper", r, sizeof(struct keel_msg));
		check_after("chan_call", bit, after);
	}
	r = cs_keeper_call(CS_OP_CALL_ME, 0, 0);
	tcheck_eq("chan_call CALL_ME", r, sizeof(struct keel_msg));
	r = keel_chan_recv(CS_HOSTILE_CALLBACK_SLOT, buf, sizeof(buf));
	tcheck_eq("chan_recv the keeper's callback", r, sizeof(struct keel_msg));
	if (bit == CS_RFLAGS_TF)
		tlog(tcheck_prefix, "chan_reply with TF set (expect a kill with #DB)");
	r = sys_with(bit, KEEL_SYS_CHAN_REPLY, CS_HOSTILE_CALLBACK_SLOT, (long)&pong, sizeof(pong),
	             &after);
	if (bit == CS_RFLAGS_TF)
		return;
	tcheck_eq("chan_reply to the keeper", r, 0);
	check_after("chan_reply", bit, after);
	{
		struct tline l;
		tl_init(&l, tcheck_prefix);
		tl_str(&l, tcheck_failures ? "FAILED " : "PASSED, ");
		tl_dec(&l, tcheck_failures);
		tl_str(&l, " failed checks; now faulting with the flag set (expect a kill)");
		tl_emit(&l);
	}
	if (bit == CS_RFLAGS_IOPL)
		__asm__ volatile("outb %%al, $0x80" ::"a"(0)); /* IOPL is still 0: #GP */
	cs_fault_with(bit);
}

void cs_fatal_mode(const char *name)
{
	if (!strcmp(name, "dr7")) {
		tlog(tcheck_prefix, "writing DR7 (expect a kill)");
		__asm__ volatile("mov %0, %%dr7" ::"r"(0xffull));
	} else if (!strcmp(name, "xsetbv")) {
		tlog(tcheck_prefix, "XSETBV XCR0=7 (expect a kill)");
		__asm__ volatile("xsetbv" ::"a"(7u), "d"(0u), "c"(0u));
	} else if (!strcmp(name, "wrgsbase")) {
		tlog(tcheck_prefix, "WRGSBASE (expect a kill)");
		__asm__ volatile("wrgsbase %0" ::"r"(0x1000ull));
	}
}
