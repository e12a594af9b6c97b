#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "lib/panic.h"
#include "mm/kernel_vm.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes (SDM Vol 3 Fig. 8-11)");

static struct tss tss __attribute__((aligned(16)));
static uint64_t gdt[7] __attribute__((aligned(16)));

struct __attribute__((packed)) gdtr {
	uint16_t limit;
	uint64_t base;
};

/* Long-mode code/data descriptors: only P, DPL, S, type and L matter. */
#define SEG_KCODE 0x00209a0000000000ull
#define SEG_KDATA 0x0000920000000000ull
#define SEG_UDATA 0x0000f20000000000ull
#define SEG_UCODE 0x0020fa0000000000ull

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[1] = SEG_KCODE;
	gdt[2] = SEG_KDATA;
	gdt[3] = SEG_UDATA;
	gdt[4] = SEG_UCODE;
	set_tss_descriptor();
	for (int i = IST_NMI; i <= IST_MC; i++) {
		tss.ist[i - 1] = kstack_alloc();
		if (!tss.ist[i - 1])
			panic("gdt: no memory for IST stacks");
	}
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 gets no ports */

	struct gdtr r = {sizeof(gdt) - 1, (uint64_t)gdt};
	/* DS, ES, FS, GS null in the kernel and for every task (gdt_reset_user_selectors). */
	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ss\n\t"
			 "xor %%eax, %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 "mov %%eax, %%fs\n\t"
			 "mov %%eax, %%gs\n\t"
			 "pushq %2\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(r), "r"((uint64_t)GDT_KDATA), "i"(GDT_KCODE), "r"((uint64_t)GDT_TSS)
			 : "rax", "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}

static uint16_t read_ds(void)
{
	uint16_t v;
	__asm__ volatile("mov %%ds, %0" : "=r"(v));
	return v;
}

static uint16_t read_es(void)
{
	uint16_t v;
	__asm__ volatile("mov %%es, %0" : "=r"(v));
	return v;
}

void gdt_reset_user_selectors(void)
{
	if (!(read_ds() | read_es() | read_fs_selector() | read_gs_selector()))
		return;
	__asm__ volatile("mov %0, %%ds\n\t"
			 "mov %0, %%es\n\t"
			 "mov %0, %%fs\n\t"
			 "mov %0, %%gs"
			 :
			 : "r"(0u)
			 : "memory");
	/* Loading GS may have replaced the active (kernel) base; the task's was a selector's base. */
	wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
