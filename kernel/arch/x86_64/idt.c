/* The IDT: every vector has a stub (isr.asm); NMI, #DF and #MC run on IST stacks. */
#include <stdint.h>

#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/trap.h"

struct idt_entry {
	uint16_t off_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* P | DPL 0 | interrupt gate (IF cleared on entry) */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_entry) == 16, "IDT gate is 16 bytes");

static struct idt_entry idt[256] __attribute__((aligned(16)));

static uint8_t ist_for(unsigned v)
{
	switch (v) {
	case 2:
		return IST_NMI;
	case 8:
		return IST_DF;
	case 18:
		return IST_MC;
	default:
		return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t a = isr_stub_table[v];
		idt[v] = (struct idt_entry){
			.off_lo = (uint16_t)a,
			.selector = GDT_KCODE,
			.ist = ist_for(v),
			.type = 0x8e,
			.off_mid = (uint16_t)(a >> 16),
			.off_hi = (uint32_t)(a >> 32),
		};
	}
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} r = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(r));
}
