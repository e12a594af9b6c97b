#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "lib/kstring.h"

static struct fpu_state clean_state;

void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	/*
	 * No LDMXCSR here: under nested KVM on these machines it raised #UD
	 * (KVM then failed to emulate it). The FXSAVE image is edited instead:
	 * MXCSR lives at byte 24 of the FXSAVE area; 0x1f80 masks all SIMD
	 * exceptions, the architectural reset value.
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
