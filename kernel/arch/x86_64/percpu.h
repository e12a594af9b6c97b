/*
 * The per-CPU block GS points at while in the kernel (swapgs on every
 * ring-3 entry and exit). syscall_entry.asm uses the first two fields by
 * offset. Keel runs on one CPU.
 */
#ifndef KEEL_ARCH_PERCPU_H
#define KEEL_ARCH_PERCPU_H

#include <stddef.h>
#include <stdint.h>

struct percpu {
	uint64_t kernel_rsp; /* top of the current task's kernel stack */
	uint64_t user_rsp;   /* scratch for syscall entry */
};
_Static_assert(offsetof(struct percpu, kernel_rsp) == 0, "syscall_entry.asm PCPU_KERNEL_RSP");
_Static_assert(offsetof(struct percpu, user_rsp) == 8, "syscall_entry.asm PCPU_USER_RSP");

extern struct percpu percpu;

/* STAR/LSTAR/FMASK, and GS pointing at the per-CPU block. */
void syscall_msr_init(void);

#endif
