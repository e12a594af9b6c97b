/*
 * The I/O APICs of QEMU's microvm (and a PC): the primary at 0xfec00000 for
 * GSIs 0-23, microvm's secondary at 0xfec10000 for GSIs 24-47 (QEMU
 * include/hw/intc/ioapic.h: IO_APIC_SECONDARY_ADDRESS, _IRQBASE).
 */
#ifndef KEEL_NATIVE_IOAPIC_H
#define KEEL_NATIVE_IOAPIC_H

#include <stdint.h>

#define IOAPIC_PINS 24u
#define IOAPIC_COUNT 2u

/* 1 if an I/O APIC answers for `gsi` (mapped and its redirection table covers the pin). */
int ioapic_has(unsigned gsi);

#endif
