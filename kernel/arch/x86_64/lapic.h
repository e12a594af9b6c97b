/* The local APIC (xAPIC, MMIO) and its timer, and masking the legacy 8259 PIC. */
#ifndef KEEL_ARCH_LAPIC_H
#define KEEL_ARCH_LAPIC_H

#include <stdint.h>

void pic_disable(void);
void lapic_init(void);
/* Start the periodic timer: `ticks` LAPIC timer counts (divide by 16) per interrupt. */
void lapic_timer_start(uint32_t ticks, uint8_t vector);
void lapic_eoi(void);
/* This CPU's local APIC ID (the destination for device interrupts). */
uint8_t lapic_id(void);
/* For calibration: start a one-shot count-down from the maximum; read how far it got. */
void lapic_timer_oneshot_max(void);
uint32_t lapic_timer_current(void);

#endif
