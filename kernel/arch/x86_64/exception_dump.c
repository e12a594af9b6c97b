/* Register dump for exceptions, on the serial console. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"
#include "lib/kprintf.h"

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	"#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *exception_name(uint64_t vector)
{
	return vector < 32 ? names[vector] : "IRQ";
}

void exception_dump(const struct trap_frame *f, const char *task_name)
{
	kprintf("keel: exception %s (vector %lu) error=%lx in %s, task '%s'\n",
		exception_name(f->vector), f->vector, f->error,
		trap_from_user(f) ? "ring 3" : "kernel", task_name ? task_name : "-");
	kprintf("  RIP=%016lx CS=%04lx RFLAGS=%016lx RSP=%016lx SS=%04lx\n", f->rip, f->cs,
		f->rflags, f->rsp, f->ss);
	kprintf("  CR2=%016lx CR3=%016lx\n", f->vector == 14 ? read_cr2() : 0, read_cr3());
	kprintf("  RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  RSI=%016lx RDI=%016lx RBP=%016lx R8 =%016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("  R9 =%016lx R10=%016lx R11=%016lx R12=%016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("  R13=%016lx R14=%016lx R15=%016lx\n", f->r13, f->r14, f->r15);
}
