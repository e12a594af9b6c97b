/* Broken kernel invariants only: print, and leave QEMU with failure. */
#ifndef KEEL_LIB_PANIC_H
#define KEEL_LIB_PANIC_H

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
