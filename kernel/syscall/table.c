/* The whole user/kernel contract in one table (STYLE.md convention 1). */
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"
#include "mm/pt.h"
#include "syscall/syscall.h"
#include "task/guest.h"
#include "task/sched.h"

const syscall_fn syscall_table[KEEL_SYS_COUNT] = {
	[KEEL_SYS_LOG] = sys_log,
	[KEEL_SYS_EXIT] = sys_exit,
	[KEEL_SYS_MEM_MAP] = sys_mem_map,
	[KEEL_SYS_MEM_UNMAP] = sys_mem_unmap,
	[KEEL_SYS_MMIO_MAP] = sys_mmio_map,
	[KEEL_SYS_DMA_ALLOC] = sys_dma_alloc,
	[KEEL_SYS_CHAN_CALL] = sys_chan_call,
	[KEEL_SYS_CHAN_RECV] = sys_chan_recv,
	[KEEL_SYS_CHAN_REPLY] = sys_chan_reply,
	[KEEL_SYS_WAIT] = sys_wait,
	[KEEL_SYS_HANDLE_CLOSE] = sys_handle_close,
	[KEEL_SYS_TIME] = sys_time,
	[KEEL_SYS_RANDOM] = sys_random,
	[KEEL_SYS_ATTEST_REPORT] = sys_attest_report,
	[KEEL_SYS_SET_TLS] = sys_set_tls,
	[KEEL_SYS_YIELD] = sys_yield,
};
_Static_assert(sizeof(syscall_table) / sizeof(syscall_table[0]) == KEEL_SYS_COUNT,
	       "one table slot per syscall number");

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
