/*
 * Emulating the guest's side of the GHCB MSR protocol (GHCB spec #56421
 * §2.3.1, "SNP Run VMPL Request", 0x016 -> 0x017) and the SVSM calling
 * convention (#58019 §3): decode at RIP, check, then perform.
 */
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "mm/uaccess.h"
#include "platform/native/guest_insn.h"
#include "platform/native/guest_io.h"
#include "platform/native/guest_trap.h"
#include "platform/snp/ghcb_msr.h"
#include "svsm/call.h"
#include "task/sched.h"

#define VEC_DB 1
#define VEC_UD 6
#define VEC_GP 13
#define VMPL_RESP_ERROR (1ull << 32) /* GHCBData[63:32] != 0: the request failed */

/*
 * The instruction bytes at rip: up to GUEST_INSN_MAX, as many as are
 * readable. A page is readable whole or not at all, so this is two copies
 * (this page, then the next if the instruction may reach it), not one per
 * byte: it runs twice for every single-step trap (docs/ipc-fast-path.md).
 */
static int fetch(struct guest *g, uint64_t rip, struct guest_insn *in)
{
	uint8_t b[GUEST_INSN_MAX];
	size_t n = 4096 - (rip & 4095);
	if (n > GUEST_INSN_MAX)
		n = GUEST_INSN_MAX;
	if (copy_from_user(g->task->root, b, uaddr_from(rip), n))
		n = 0;
	else if (n < GUEST_INSN_MAX && !copy_from_user(g->task->root, &b[n], uaddr_from(rip + n), GUEST_INSN_MAX - n))
		n = GUEST_INSN_MAX;
	return guest_insn_decode(b, n, in);
}

static void stop_stepping(struct guest *g, struct trap_frame *f)
{
	g->step_left = 0;
	f->rflags &= ~RFLAGS_TF;
}

/* The call itself: only if the calling area says one is pending (SVSM spec §3). */
static void perform_call(struct guest *g, struct trap_frame *f)
{
	uint64_t caa = g->caa; /* a REMAP_CA moves g->caa; this call's pending flag is here */
	uint8_t pending = 0, done = 0;
	if (svsm_gmem_read(caa, &pending, 1) || pending != 1)
		return;
	struct svsm_regs r = {f->rax, f->rcx, f->rdx, f->r8, f->r9};
	svsm_handle_call(&r); /* may block the guest while its service works */
	f->rax = r.rax;
	f->rcx = r.rcx;
	f->rdx = r.rdx;
	f->r8 = r.r8;
	(void)svsm_gmem_write(caa, &done, 1); /* checked above: cannot fail */
	g->calls++;
}

/* VMGEXIT at RIP: the VMPL switch. The GHCB MSR must hold a VMPL request. */
static int vmgexit(struct guest *g, struct trap_frame *f, uint64_t *via)
{
	if ((g->ghcb_msr & GHCB_INFO_MASK) != GHCB_MSR_VMPL_REQ) {
		kprintf("keel: guest '%s': VMGEXIT without a VMPL request in the GHCB MSR (%lx)\n",
			g->task->name, g->ghcb_msr);
		return 0;
	}
	stop_stepping(g, f);
	f->rip += 4;
	(*via)++;
	if (((g->ghcb_msr >> 32) & 0xff) != 0) { /* only VMPL0 runs an SVSM */
		g->ghcb_msr = GHCB_MSR_VMPL_RESP | VMPL_RESP_ERROR;
		return 1;
	}
	perform_call(g, f);
	g->ghcb_msr = GHCB_MSR_VMPL_RESP;
	return 1;
}

static int msr(struct guest *g, struct trap_frame *f, int write)
{
	uint32_t ecx = (uint32_t)f->rcx;
	if (ecx != GHCB_MSR) {
		kprintf("keel: guest '%s': %s of MSR %x\n", g->task->name, write ? "WRMSR" : "RDMSR", ecx);
		return 0;
	}
	f->rip += 2;
	if (!write) {
		f->rax = (uint32_t)g->ghcb_msr;
		f->rdx = g->ghcb_msr >> 32;
		return 1;
	}
	g->ghcb_msr = (f->rdx << 32) | (uint32_t)f->rax;
	if ((g->ghcb_msr & GHCB_INFO_MASK) == GHCB_MSR_VMPL_REQ) {
		/* KVM runs a CPL3 VMMCALL as a hypercall: step until RIP reaches it. */
		g->step_left = GUEST_STEP_MAX;
		f->rflags |= RFLAGS_TF;
	}
	return 1;
}

static int port_io(struct guest *g, struct trap_frame *f, const struct guest_insn *in)
{
	uint16_t port = in->port_imm ? in->imm : (uint16_t)f->rdx;
	uint8_t v;
	int rc = in->kind == GI_IN ? guest_io_in(g, port, &v) : guest_io_out(g, port, (uint8_t)f->rax);
	if (rc) {
		kprintf("keel: guest '%s': port %x is not the guest's\n", g->task->name, port);
		return 0;
	}
	if (in->kind == GI_IN)
		f->rax = (f->rax & ~0xffull) | v;
	f->rip += in->len;
	return 1;
}

static _Noreturn void guest_exit(struct guest *g, struct trap_frame *f)
{
	guest_io_flush(g);
	kprintf("keel: guest '%s': exit (HLT) with status %ld after %lu SVSM calls; VMGEXITs caught by "
		"single-step %lu, #UD %lu, look-ahead %lu\n",
		g->task->name, (long)(int)f->rax, g->calls, g->via_step, g->via_ud, g->via_lookahead);
	task_end_current(OUTCOME_EXITED, (int)f->rax);
}

static int general_protection(struct guest *g, struct trap_frame *f, const struct guest_insn *in)
{
	switch (in->kind) {
	case GI_RDMSR:
	case GI_WRMSR:
		return msr(g, f, in->kind == GI_WRMSR);
	case GI_IN:
	case GI_OUT:
		return port_io(g, f, in);
	case GI_HLT:
		guest_exit(g, f);
	default:
		return 0;
	}
}

/* #DB while stepping: at VMGEXIT perform it (it has not executed yet); else count down. */
static int single_step(struct guest *g, struct trap_frame *f, const struct guest_insn *in, int ok)
{
	if (!g->step_left)
		return 0; /* the guest's own TF: it has no handler for it */
	if (ok && in->kind == GI_VMGEXIT)
		return vmgexit(g, f, &g->via_step);
	if (--g->step_left == 0) {
		kprintf("keel: guest '%s': no VMGEXIT within %u instructions of the VMPL request\n",
			g->task->name, GUEST_STEP_MAX);
		f->rflags &= ~RFLAGS_TF;
	}
	return 1;
}

int guest_trap(struct guest *g, struct trap_frame *f)
{
	struct guest_insn in;
	int ok = fetch(g, f->rip, &in) == 0, handled = 0;
	if (f->vector == VEC_DB)
		handled = single_step(g, f, &in, ok);
	else if (f->vector == VEC_UD)
		handled = ok && in.kind == GI_VMGEXIT && vmgexit(g, f, &g->via_ud);
	else if (f->vector == VEC_GP && ok)
		handled = general_protection(g, f, &in);
	if (!handled)
		return 0;
	/* Stepping resumes after the next instruction: a VMGEXIT there would run unseen. */
	if (g->step_left && fetch(g, f->rip, &in) == 0 && in.kind == GI_VMGEXIT)
		return vmgexit(g, f, &g->via_lookahead);
	return 1;
}
