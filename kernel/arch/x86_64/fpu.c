#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "lib/kstring.h"

static struct fpu_state clean_state;

void fpu_init(void)
{
	uint32_t mxcsr = 0x1f80;
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit\n\tldmxcsr %0" ::"m"(mxcsr));
	fpu_save(&clean_state);
}

void fpu_init_state(struct fpu_state *s)
{
	memcpy(s, &clean_state, sizeof(*s));
}
