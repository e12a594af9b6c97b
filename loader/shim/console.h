/* The shim's serial console (COM1) and its way out of QEMU (isa-debug-exit). */
#ifndef SHIM_CONSOLE_H
#define SHIM_CONSOLE_H

#include <stdint.h>

/* isa-debug-exit values the shim uses: QEMU exits with (v << 1) | 1. */
#define SHIM_EXIT_FAILURE 1u

void console_init(void);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "shim: error: ..." on serial, then leave QEMU with SHIM_EXIT_FAILURE. */
__attribute__((noreturn, format(printf, 1, 2))) void shim_fail(const char *fmt, ...);

/* Writes `code` to port 0xf4; halts forever if no debug-exit device is there. */
__attribute__((noreturn)) void shim_exit(uint32_t code);

#endif
