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

#endif
