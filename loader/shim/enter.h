/*
 * Entering the kernel from an IGVM NATIVE VP context: 32-bit protected mode
 * -> long mode -> the context's registers -> RIP (entry.asm does the
 * switch; enter.c checks the context and prepares what entry.asm reads).
 */
#ifndef SHIM_ENTER_H
#define SHIM_ENTER_H

#include <stdint.h>

#include "igvm_format.h"

/*
 * What entry.asm reads, at fixed offsets (SH_* in entry.asm): keep the two
 * in step; the _Static_asserts in enter.c pin them.
 */
struct shim_handoff {
	uint64_t cr0, cr3, cr4, efer; /* 0x00 */
	uint64_t rflags;              /* 0x20 */
	uint64_t rip;                 /* 0x28 */
	uint64_t gpr[16];             /* 0x30: rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	uint64_t gs_base;             /* 0xb0 */
	uint16_t code_selector;       /* 0xb8 */
	uint16_t data_selector;       /* 0xba */
	uint16_t pad[2];
	uint16_t gdtr_pad[3]; /* 0xc0: so gdtr_limit+gdtr_base form a pseudo-descriptor */
	uint16_t gdtr_limit;  /* 0xc6 */
	uint64_t gdtr_base;   /* 0xc8 */
	uint16_t idtr_pad[3]; /* 0xd0 */
	uint16_t idtr_limit;  /* 0xd6 */
	uint64_t idtr_base;   /* 0xd8 */
};

/*
 * Checks the context (CR3, CR4, EFER, CR0, selectors, attributes) and
 * fills the handoff and the shim's transition GDT; fails the boot with a
 * message naming the field on anything the shim cannot honour.
 */
void enter_prepare(const IgvmNativeVpContextX64 *ctx);

/*
 * Test path (docs/shim.md, shim-snp-stub.sh): with "keel-shim.entry=snp-stub"
 * on the command line, after a NATIVE load, enter the SEV-SNP VMSA of `f`
 * the way KVM starts an SNP vCPU: 32-bit protected mode, paging off, at
 * the VMSA's RIP and RSP. Fails the boot unless the VMSA is in that state
 * (CR0 0x31/0x30, EFER without LME/LMA, 32-bit CS, RIP/RSP below 4 GiB).
 */
struct igvm_file;
__attribute__((noreturn)) void enter_snp_vmsa32(const struct igvm_file *f);

/* Switches to long mode and jumps to the prepared context; never returns. */
__attribute__((noreturn)) void shim_enter_long_mode(void);

#endif
