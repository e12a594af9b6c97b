/*
 * The instructions the CPU-state tests need, as functions (file-scope asm:
 * pushf/popf in inline asm would clobber the red zone). Built booted and
 * hosted alike.
 */
#include "cpustate.h"

__asm__(".text\n"
        ".globl cs_raw_syscall\n"
        "cs_raw_syscall:\n\t"
        "pushq %rbx\n\t"
        "movq %rdi, %rbx\n\t"
        "pushfq\n\t" /* the caller's flags, put back below */
        "movq 0(%rbx), %rax\n\t"
        "movq 8(%rbx), %rdi\n\t"
        "movq 16(%rbx), %rsi\n\t"
        "movq 24(%rbx), %rdx\n\t"
        "movq 32(%rbx), %r10\n\t"
        "movq 40(%rbx), %r8\n\t"
        "pushfq\n\t"
        "movq 48(%rbx), %rcx\n\t"
        "orq %rcx, (%rsp)\n\t"
        "popfq\n\t"
        "syscall\n\t"
        "pushfq\n\t"
        "popq 56(%rbx)\n\t"
        "popfq\n\t"
        "popq %rbx\n\t"
        "ret\n"

        ".globl cs_fault_with\n"
        "cs_fault_with:\n\t"
        "pushfq\n\t"
        "orq %rdi, (%rsp)\n\t"
        "popfq\n\t"
        "ud2\n"

        ".globl cs_spin_with\n"
        "cs_spin_with:\n\t"
        "pushfq\n\t"
        "pushfq\n\t"
        "orq %rdi, (%rsp)\n\t"
        "popfq\n"
        "1:\n\t"
        "decq %rsi\n\t"
        "jnz 1b\n\t"
        "pushfq\n\t"
        "popq %rax\n\t"
        "popfq\n\t"
        "ret\n"

        ".globl cs_set_flags\n"
        "cs_set_flags:\n\t"
        "pushfq\n\t"
        "orq %rdi, (%rsp)\n\t"
        "popfq\n\t"
        "ret\n"

        ".globl cs_rflags\n"
        "cs_rflags:\n\t"
        "pushfq\n\t"
        "popq %rax\n\t"
        "ret\n");

uint32_t cs_mxcsr(void)
{
	uint32_t v;
	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

void cs_set_mxcsr(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" ::"m"(v));
}

uint16_t cs_fcw(void)
{
	uint16_t v;
	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

void cs_set_fcw(uint16_t v)
{
	__asm__ volatile("fldcw %0" ::"m"(v));
}

uint64_t cs_selectors(void)
{
	uint16_t ds, es, fs, gs;
	__asm__ volatile("mov %%ds, %0\n\tmov %%es, %1\n\tmov %%fs, %2\n\tmov %%gs, %3"
	                 : "=r"(ds), "=r"(es), "=r"(fs), "=r"(gs));
	return (uint64_t)ds << 48 | (uint64_t)es << 32 | (uint64_t)fs << 16 | gs;
}

uint64_t cs_fs0(void)
{
	uint64_t v;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
	return v;
}

int cs_hosted(void)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs != 0x23;
}

#define LINUX_SCHED_YIELD 24

long cs_syscall(struct cs_call *c)
{
	long r;
	if (!cs_hosted())
		return cs_raw_syscall(c);
	/* Hosted, Keel calls are library calls: the flags cross a real Linux sched_yield after it.
	 */
	r = keel_syscall6(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], 0);
	struct cs_call y = {LINUX_SCHED_YIELD, {0, 0, 0, 0, 0}, c->set, 0};
	cs_raw_syscall(&y);
	c->after = y.after;
	return r;
}
