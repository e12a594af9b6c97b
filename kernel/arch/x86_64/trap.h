/*
 * The frame every kernel entry from an interrupt, exception or syscall
 * builds on the kernel stack (isr.asm, syscall_entry.asm push it in this
 * order, last field first; the GPRs through regs.inc's PUSH_GPRS).
 */
#ifndef KEEL_ARCH_TRAP_H
#define KEEL_ARCH_TRAP_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* as the CPU pushes them */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame is 22 quadwords (16-byte multiple)");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "isr.asm layout");
_Static_assert(offsetof(struct trap_frame, cs) == 18 * 8, "isr.asm layout");

#define VECTOR_SYSCALL 0x100 /* marker in trap_frame.vector for syscall entries */
#define VECTOR_TIMER 0x30
#define VECTOR_IRQ_BASE 0x40 /* device interrupts: ipc/irq.h IRQ_MAX vectors from here */
#define VECTOR_SPURIOUS 0xff

static inline int trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

/*
 * Panics unless RFLAGS is RFLAGS_KERNEL (but for the arithmetic flags): a task's flag (AC would
 * switch SMAP off, NT would make the next iretq fault) reached kernel code.
 * Called where the kernel starts serving a task (docs/kernel.md).
 */
_Noreturn void trap_bad_kernel_rflags(uint64_t rflags, const char *where);
/* Inline: it runs on every syscall and switch; only the panic is out of line. */
static inline void trap_check_kernel_rflags(const char *where)
{
	uint64_t rflags;
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(rflags));
	if ((rflags & ~RFLAGS_ARITH) != RFLAGS_KERNEL) /* C code itself sets the arithmetic flags */
		trap_bad_kernel_rflags(rflags, where);
}

void trap_dispatch(struct trap_frame *f);
void syscall_dispatch(struct trap_frame *f);
/* Print the register dump for an exception (and the task's name). */
void exception_dump(const struct trap_frame *f, const char *task_name);
const char *exception_name(uint64_t vector);

/* isr.asm: 256 entry stubs; and the common return path to a trap frame. */
extern const uint64_t isr_stub_table[256];
void trap_return(void);

#endif
