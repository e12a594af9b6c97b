/* The whole user/kernel contract in one table (STYLE.md convention 1), from KEEL_SYSCALLS. */
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "mm/pt.h"
#include "syscall/syscall.h"
#include "task/guest.h"
#include "task/sched.h"

/* Generated from the one list, as the hosted shim's table is (syscalls/hosted/sys.c). */
#define SYSCALL_ENTRY_(nr, NAME, name, nargs) [nr] = sys_##name,
const syscall_fn syscall_table[KEEL_SYS_COUNT] = {KEEL_SYSCALLS(SYSCALL_ENTRY_)};
#undef SYSCALL_ENTRY_
#define SYSCALL_CHECK_(nr, NAME, name, nargs) \
	_Static_assert((nr) < KEEL_SYS_COUNT && (nargs) <= 6, "KEEL_SYS_" #NAME ": number or arity");
KEEL_SYSCALLS(SYSCALL_CHECK_)
#undef SYSCALL_CHECK_

void syscall_dispatch(struct trap_frame *f)
{
	struct syscall_args a = {{f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9}};
	uint64_t nr = f->rax;
	trap_check_kernel_rflags("syscall entry");
	if (guest_of(sched_current())) { /* a guest has no syscalls (docs/guest.md) */
		kprintf("keel: task '%s' killed: SYSCALL from the guest at RIP %lx\n", sched_current()->name,
			f->rip);
		task_end_current(OUTCOME_FAULTED, 0);
	}
	if (nr < KEEL_SYS_COUNT && syscall_table[nr])
		f->rax = (uint64_t)syscall_table[nr](&a);
	else
		f->rax = (uint64_t)(long)KEEL_ENOSYS;
	/* SYSRET to a non-canonical RIP would fault in ring 0: the task is at fault, end it. */
	if (f->rip >= USER_TOP) {
		kprintf("keel: task '%s' killed: syscall return to non-canonical RIP %lx\n",
			sched_current()->name, f->rip);
		task_end_current(OUTCOME_FAULTED, 0);
	}
}
