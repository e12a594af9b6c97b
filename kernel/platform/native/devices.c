/*
 * Native devices: virtio-mmio transports on QEMU's microvm (24 slots at
 * 0xfeb00000 + 0x200 * i, magic "virt", device ID at +8; docs/architecture.md §8).
 * Slot i interrupts on GSI 24 + i: with its second I/O APIC (the default,
 * ioapic2=auto with ACPI) QEMU's hw/i386/microvm.c sets virtio_irq_base to
 * IO_APIC_SECONDARY_IRQBASE (24). Without it the base is 5 or 16 depending
 * on ACPI, which the kernel cannot tell apart: no interrupt then.
 */
#include <keel/errors.h>

#include "lib/kstring.h"
#include "mm/kernel_vm.h"
#include "platform/devices.h"
#include "platform/native/ioapic.h"

#define VIRTIO_MMIO_BASE 0xfeb00000ull
#define VIRTIO_MMIO_SLOTS 24
#define VIRTIO_MMIO_STRIDE 0x200ull
#define VIRTIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_GSI_BASE 24u

static const struct {
	const char *name;
	uint32_t virtio_id;
} known[] = {
	{"virtio-net", 1},
	{"virtio-blk", 2},
	{"virtio-console", 3},
};

static volatile uint32_t *slots;

static int probe(uint32_t id, struct device_window *w)
{
	if (!slots)
		slots = kernel_vm_map_mmio(VIRTIO_MMIO_BASE, VIRTIO_MMIO_SLOTS * VIRTIO_MMIO_STRIDE);
	if (!slots)
		return KEEL_ENOMEM;
	for (int i = VIRTIO_MMIO_SLOTS - 1; i >= 0; i--) {
		volatile uint32_t *r = slots + i * (VIRTIO_MMIO_STRIDE / 4);
		if (r[0] == VIRTIO_MAGIC && r[2] == id) {
			w->pa = VIRTIO_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_STRIDE;
			w->size = VIRTIO_MMIO_STRIDE;
			return 0;
		}
	}
	return KEEL_ENOTSUP;
}

int platform_device_find(const char *name, struct device_window *w)
{
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i].name))
			return probe(known[i].virtio_id, w);
	return KEEL_ENOTSUP;
}

int platform_device_irq(const struct device_window *w, unsigned *line)
{
	uint64_t slot;
	if (w->pa < VIRTIO_MMIO_BASE || (w->pa - VIRTIO_MMIO_BASE) % VIRTIO_MMIO_STRIDE)
		return KEEL_ENOTSUP;
	slot = (w->pa - VIRTIO_MMIO_BASE) / VIRTIO_MMIO_STRIDE;
	if (slot >= VIRTIO_MMIO_SLOTS || !ioapic_has(VIRTIO_MMIO_GSI_BASE + (unsigned)slot))
		return KEEL_ENOTSUP;
	*line = VIRTIO_MMIO_GSI_BASE + (unsigned)slot;
	return 0;
}
