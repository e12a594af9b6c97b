/* CPUID feature detection and the protection bits that depend on it. */
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/cpu.h"
#include "lib/kprintf.h"
#include "lib/panic.h"

struct cpu_features cpu_has;

void cpu_features_detect(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	uint32_t max_leaf = r[0];
	int amd = r[1] == 0x68747541u && r[3] == 0x69746e65u && r[2] == 0x444d4163u; /* "AuthenticAMD" */
	cpuid(1, 0, r);
	cpu_has.rdrand = (r[2] >> 30) & 1;
	cpu_has.x2apic = (r[2] >> 21) & 1;
	cpu_has.fxsr = (r[3] >> 24) & 1;
	cpu_has.sse2 = (r[3] >> 26) & 1;
	cpu_has.apic = (r[3] >> 9) & 1;
	if (max_leaf >= 7) {
		cpuid(7, 0, r);
		cpu_has.smep = (r[1] >> 7) & 1;
		cpu_has.smap = (r[1] >> 20) & 1;
		cpu_has.rdseed = (r[1] >> 18) & 1;
	}
	cpuid(0x80000000u, 0, r);
	uint32_t max_ext = r[0];
	if (max_ext >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		cpu_has.nx = (r[3] >> 20) & 1;
		cpu_has.syscall = (r[3] >> 11) & 1;
	}
	if (max_ext >= 0x80000007u) {
		cpuid(0x80000007u, 0, r);
		cpu_has.invariant_tsc = (r[3] >> 8) & 1;
	}
	cpu_has.fxsave_leak = amd;
	if (max_ext >= 0x80000008u) {
		cpuid(0x80000008u, 0, r);
		cpu_has.fxsave_leak = amd && !((r[1] >> 2) & 1);
	}
}

void cpu_enable_nx(void)
{
	if (!cpu_has.nx || !cpu_has.syscall || !cpu_has.fxsr || !cpu_has.sse2 || !cpu_has.apic)
		panic("CPU lacks NX, SYSCALL, FXSR, SSE2 or APIC");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE | EFER_SCE);
}

void cpu_enable_protections(void)
{
	write_cr0(read_cr0() | CR0_WP);
	uint64_t cr4 = read_cr4();
	if (cpu_has.smep)
		cr4 |= CR4_SMEP;
	if (cpu_has.smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	kprintf("keel: cpu: nx smep=%d smap=%d rdrand=%d rdseed=%d\n", cpu_has.smep, cpu_has.smap,
		cpu_has.rdrand, cpu_has.rdseed);
}
