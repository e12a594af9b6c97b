#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

struct percpu percpu;

void syscall_entry(void);

void syscall_msr_init(void)
{
	/* SYSCALL: CS = 0x08, SS = 0x10. SYSRET (64-bit): CS = 0x10+16 = 0x20|3, SS = 0x10+8 = 0x18|3. */
	wrmsr(MSR_STAR, ((uint64_t)(0x10 | 3) << 48) | ((uint64_t)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Every flag, as Linux masks: the kernel starts from RFLAGS_KERNEL (cpu.h). */
	wrmsr(MSR_FMASK, RFLAGS_SYSCALL_MASK);
	wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
