/*
 * Per-task FPU/SSE state. Tasks are ordinary compiled C and use SSE; the
 * kernel itself is built without SSE, so saving at every switch suffices.
 * fxsave64 only: XSAVE (and with it AVX) stays disabled, so CPUID reports
 * OSXSAVE = 0 and libraries never use AVX state we would not save.
 */
#ifndef KEEL_ARCH_FPU_H
#define KEEL_ARCH_FPU_H

#include <stdint.h>

struct fpu_state {
	uint8_t area[512];
} __attribute__((aligned(16)));

void fpu_init(void);
/* A clean state (FNINIT defaults, MXCSR = 0x1f80) for a new task. */
void fpu_init_state(struct fpu_state *s);

static inline void fpu_save(struct fpu_state *s)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*s));
}

static inline void fpu_restore(const struct fpu_state *s)
{
	__asm__ volatile("fxrstor64 %0" ::"m"(*s));
}

/*
 * fpu_restore for a switch between tasks: where FXRSTOR leaves the x87
 * error pointers alone (cpu_has.fxsave_leak), first point them at a kernel
 * load, so the next task never reads the last task's FIP/FDP/FOP. This is
 * Linux's fxsave-leak workaround: clear pending exceptions (the last
 * task's control word may unmask them), empty the stack, load one value.
 */
void fpu_restore_clean(const struct fpu_state *s);

#endif
