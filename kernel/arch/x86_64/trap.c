/* Where every interrupt and exception lands (isr.asm). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "ipc/irq.h"
#include "lib/kprintf.h"
#include "lib/panic.h"
#include "platform/platform.h"
#include "task/guest.h"
#include "task/sched.h"

#define VEC_NMI 2
#define VEC_DF 8
#define VEC_MC 18
#define VEC_PF 14

static void exception(struct trap_frame *f)
{
	struct task *t = sched_current();
	const char *name = t ? t->name : "-";
	if (f->vector == VEC_NMI) {
		kprintf("keel: NMI at RIP %lx (ignored)\n", f->rip);
		return;
	}
	/* The guest's MSR, port I/O, HLT and VMGEXIT fault by design: the emulated VMPL switch. */
	if (trap_from_user(f) && guest_of(t) && guest_trap(guest_of(t), f))
		return;
	exception_dump(f, name);
	/* A task's fault ends that task only; #DF and #MC are never the task's doing. */
	if (trap_from_user(f) && t && f->vector != VEC_DF && f->vector != VEC_MC) {
		kprintf("keel: task '%s' killed: %s at RIP %lx cr2=%lx\n", name, exception_name(f->vector),
			f->rip, f->vector == VEC_PF ? read_cr2() : (uint64_t)0);
		task_end_current(OUTCOME_FAULTED, 0);
	}
	panic("%s in the kernel at RIP %lx (task '%s')", exception_name(f->vector), f->rip, name);
}

_Noreturn void trap_bad_kernel_rflags(uint64_t rflags, const char *where)
{
	struct task *t = sched_current();
	panic("kernel RFLAGS %lx at %s (task '%s'), want %lx", rflags, where, t ? t->name : "-",
	      (uint64_t)RFLAGS_KERNEL);
}

void trap_dispatch(struct trap_frame *f)
{
	trap_check_kernel_rflags("interrupt entry");
	if (f->vector < 32) {
		exception(f);
		return;
	}
	switch (f->vector) {
	case VECTOR_TIMER:
		lapic_eoi();
		sched_tick(trap_from_user(f));
		return;
	case VECTOR_SPURIOUS:
		return;
	default:
		if (irq_interrupt(f->vector)) {
			lapic_eoi(); /* the line is masked until the driver acks */
			if (trap_from_user(f))
				sched_yield(); /* the woken driver runs now, as the timer would */
			return;
		}
		if (f->vector >= 0x20 && f->vector < 0x30)
			return; /* spurious IRQ from the masked 8259 */
		kprintf("keel: unexpected interrupt vector %lu\n", f->vector);
		lapic_eoi();
	}
}
