#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/fpu.h"
#include "lib/kstring.h"

static struct fpu_state clean_state;

void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	/*
	 * No LDMXCSR: MXCSR is set in the FXSAVE image instead (byte 24; 0x1f80
	 * masks all SIMD exceptions, the reset value), which is equivalent and
	 * needs no instruction beyond fxsave/fxrstor. Under the PVM-backed
	 * /dev/kvm here the kernel runs in KVM's instruction emulator, which
	 * implements FXSAVE/FXRSTOR but not LDMXCSR/STMXCSR ("emulation
	 * failure"); CR4.OSFXSR and CPUID were fine (docs/kernel.md, KVM notes).
	 */
	__asm__ volatile("fninit");
	fpu_save(&clean_state);
	uint32_t mxcsr = 0x1f80;
	memcpy(&clean_state.area[24], &mxcsr, sizeof(mxcsr));
}

void fpu_init_state(struct fpu_state *s)
{
	memcpy(s, &clean_state, sizeof(*s));
}

void fpu_restore_clean(const struct fpu_state *s)
{
	static const uint32_t zero;
	if (cpu_has.fxsave_leak)
		__asm__ volatile("fnclex\n\t"
				 "emms\n\t"
				 "fildl %0" ::"m"(zero));
	fpu_restore(s);
}
