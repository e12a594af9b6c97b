/* CPU features the kernel checks once at boot (CPUID). */
#ifndef KEEL_ARCH_CPU_FEATURES_H
#define KEEL_ARCH_CPU_FEATURES_H

#include <stdbool.h>

struct cpu_features {
	bool nx, smep, smap, rdrand, rdseed, fxsr, sse2, syscall, x2apic, apic, invariant_tsc;
	/*
	 * AMD before CPUID 0x80000008 EBX[2] (XSAVEERPTR): FXSAVE/FXRSTOR skip
	 * the x87 FIP/FDP/FOP unless an exception is pending, so they would
	 * carry from one task to the next (fpu.h: fpu_restore_clean).
	 */
	bool fxsave_leak;
};

extern struct cpu_features cpu_has;

void cpu_features_detect(void);
/* EFER.NXE and SCE (before the kernel's own tables, which use NX). */
void cpu_enable_nx(void);
/* CR0.WP, SMEP/SMAP where present (after the boot tables are gone). */
void cpu_enable_protections(void);

#endif
