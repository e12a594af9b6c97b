/* Host stand-in for kernel/arch/x86_64/cpu.h: the unit tests run in ring 3. */
#ifndef KEEL_ARCH_CPU_H
#define KEEL_ARCH_CPU_H
#include <stdint.h>
static inline void invlpg(uint64_t va) { (void)va; }
#endif
