#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/trap.h"
#include "lib/panic.h"
#include "mm/kernel_vm.h"

#define APIC_BASE_ENABLE (1ull << 11)
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)
#define DIV_16 0x3

static volatile uint32_t *lapic;

static void wr(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

static uint32_t rd(uint32_t reg)
{
	return lapic[reg / 4];
}

void pic_disable(void)
{
	/* Remap to 0x20-0x2f first so a spurious IRQ 7/15 cannot look like an exception, then mask all. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = kernel_vm_map_mmio(base & 0xffffff000ull, 4096);
	if (!lapic)
		panic("lapic: cannot map registers");
	wr(LAPIC_TPR, 0);
	wr(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_TIMER_DIV, DIV_16);
}

void lapic_timer_oneshot_max(void)
{
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_TIMER_DIV, DIV_16);
	wr(LAPIC_TIMER_INIT, 0xffffffffu);
}

uint32_t lapic_timer_current(void)
{
	return rd(LAPIC_TIMER_CUR);
}

void lapic_timer_start(uint32_t ticks, uint8_t vector)
{
	wr(LAPIC_TIMER_DIV, DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_PERIODIC | vector);
	wr(LAPIC_TIMER_INIT, ticks ? ticks : 1);
}

void lapic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

uint8_t lapic_id(void)
{
	return (uint8_t)(rd(LAPIC_ID) >> 24);
}
