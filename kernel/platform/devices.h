/*
 * Devices a task may be granted by name in the manifest (`device=NAME`).
 * The platform says where a named device's registers are.
 */
#ifndef KEEL_PLATFORM_DEVICES_H
#define KEEL_PLATFORM_DEVICES_H

#include <stdint.h>

struct device_window {
	uint64_t pa;   /* first register */
	uint64_t size; /* bytes the task may map */
};

/* 0 and the device's window, or KEEL_ENOTSUP when this machine has no such device. */
int platform_device_find(const char *name, struct device_window *w);

/*
 * Device interrupts (keel_irq_bind, ipc/irq.c). platform_device_irq: the
 * interrupt line (a GSI) of the device at `w`, or KEEL_ENOTSUP when this
 * machine has none for it (or its routing is unknown). platform_irq_route
 * programs the line to deliver `vector` to the boot CPU, masked;
 * platform_irq_mask masks (1) or unmasks (0) it. Both only for a line
 * platform_device_irq returned.
 */
int platform_device_irq(const struct device_window *w, unsigned *line);
void platform_irq_route(unsigned line, uint8_t vector);
void platform_irq_mask(unsigned line, int masked);

#endif
