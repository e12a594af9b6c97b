/* The boot sequence (docs/boot.md, "Kernel start"). */
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/random.h"
#include "boot_info_check.h"
#include "lib/kprintf.h"
#include "mm/frame.h"
#include "mm/kernel_vm.h"
#include "platform/platform.h"
#include "task/sched.h"

static struct boot_state boot;

void kernel_main(uint64_t boot_info_gpa);

void kernel_main(uint64_t boot_info_gpa)
{
	console_init();
	kprintf("keel: kernel starting, boot info at %lx\n", boot_info_gpa);
	boot_info_read(boot_info_gpa, &boot); /* still on the boot tables: identity map */
	cpu_features_detect();
	cpu_enable_nx();
	frame_init(boot.usable, (size_t)boot.nusable);
	kernel_vm_init(boot.ram, (size_t)boot.nram);
	cpu_enable_protections();
	gdt_init();
	idt_init();
	syscall_msr_init();
	fpu_init();
	random_init();
	pic_disable();
	lapic_init();
	time_init();
	kprintf("keel: %lu MiB free for tasks\n", (uint64_t)frame_free_count() / 256);
	boot_tasks_create(&boot);
	sched_start();
	report_finish("no tasks to run");
}
