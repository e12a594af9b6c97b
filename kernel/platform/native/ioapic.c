/*
 * I/O APIC redirection entries (Intel 82093AA datasheet §3.2.4): a device
 * line becomes a vector on the boot CPU, fixed delivery, physical
 * destination, level-triggered and active-high (virtio-mmio holds its line
 * up while InterruptStatus is non-zero).
 */
#include "arch/x86_64/lapic.h"
#include "mm/kernel_vm.h"
#include "platform/devices.h"
#include "platform/native/ioapic.h"

#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_STRIDE 0x10000ull
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOREDTBL(pin) (0x10u + 2u * (pin))
#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)

static volatile uint32_t *regs[IOAPIC_COUNT];
static int probed[IOAPIC_COUNT];

static volatile uint32_t *chip(unsigned gsi)
{
	unsigned i = gsi / IOAPIC_PINS;
	if (i >= IOAPIC_COUNT)
		return 0;
	if (!probed[i]) {
		probed[i] = 1;
		regs[i] = kernel_vm_map_mmio(IOAPIC_BASE + i * IOAPIC_STRIDE, 4096);
	}
	return regs[i];
}

static uint32_t rd(volatile uint32_t *r, uint32_t reg)
{
	r[IOREGSEL / 4] = reg;
	return r[IOWIN / 4];
}

static void wr(volatile uint32_t *r, uint32_t reg, uint32_t v)
{
	r[IOREGSEL / 4] = reg;
	r[IOWIN / 4] = v;
}

int ioapic_has(unsigned gsi)
{
	volatile uint32_t *r = chip(gsi);
	uint32_t ver, max;
	if (!r)
		return 0;
	ver = rd(r, IOAPICVER);
	max =
	    (ver >> 16) & 0xff; /* highest redirection entry; absent chips read all-ones or zero */
	return ver != 0xffffffffu && ver != 0 && gsi % IOAPIC_PINS <= max;
}

void platform_irq_route(unsigned line, uint8_t vector)
{
	volatile uint32_t *r = chip(line);
	unsigned pin = line % IOAPIC_PINS;
	if (!r)
		return;
	wr(r, IOREDTBL(pin), RTE_MASKED | RTE_LEVEL | vector);
	wr(r, IOREDTBL(pin) + 1, (uint32_t)lapic_id() << 24);
}

void platform_irq_mask(unsigned line, int masked)
{
	volatile uint32_t *r = chip(line);
	unsigned pin = line % IOAPIC_PINS;
	uint32_t lo;
	if (!r)
		return;
	lo = rd(r, IOREDTBL(pin));
	wr(r, IOREDTBL(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
}
