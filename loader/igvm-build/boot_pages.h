/*
 * Contents of the fixed boot pages igvm-build places below the kernel
 * (docs/boot.md, loader/include/keel/boot_info.h): page tables, GDT, and
 * the register state both VP contexts are made from.
 */
#ifndef KEEL_BOOT_PAGES_H
#define KEEL_BOOT_PAGES_H

#include <stdint.h>

#include "igvm_format.h"

#define BOOT_PAGE_TABLES_USED 7u /* PML4, 2 PDPTs, 4 PDs; the rest stay zero */

/* Fill `pages` (KEEL_PAGE_TABLE_PAGES * 4 KiB, zeroed) with the boot tables:
 * 0-4 GiB identity (2 MiB pages), KEEL_KERNEL_VBASE -> 0 for 1 GiB. */
void boot_page_tables(uint8_t *pages);

/* The boot GDT page: null, 64-bit code (0x08), data (0x10), 32-bit code (0x18). */
void boot_gdt(uint8_t *page);
#define BOOT_GDT_LIMIT (4u * 8u - 1u)

/* Entry register state shared by the native context and the VMSA. */
struct boot_regs {
	uint64_t rip, rsp, rdi;
	uint64_t cr0, cr3, cr4, efer;
	uint64_t gdt_base;
	uint16_t gdt_limit;
};

#define BOOT_CR0 0x80010033ull /* PE MP ET NE WP PG */
#define BOOT_CR4 0x00000620ull /* PAE OSFXSR OSXMMEXCPT */
#define BOOT_EFER 0x00000D01ull /* SCE LME LMA NXE */
#define BOOT_EFER_SVME 0x00001000ull /* required in an SEV-ES/SNP VMSA */

void boot_native_context(IgvmNativeVpContextX64 *c, const struct boot_regs *r);

/* The SNP VMSA: KVM's reset-compatible state (CR0 0x31, protected mode, no
 * paging, EFER.SVME only), flat 32-bit segments, RIP = the SNP entry stub
 * at KEEL_GPA_SNP_ENTRY, RSP = r->rsp. The stub enters long mode and jumps
 * to r->rip with r->rdi. */
void boot_snp_vmsa(SEV_VMSA *v, const struct boot_regs *r);
#define BOOT_SNP_CR0 0x31ull /* PE ET NE */
#define BOOT_SNP_CR4 0x40ull /* MCE */

/* The SNP entry stub page (snp_entry32.asm) with its parameters filled in. */
#define SNP_ENTRY_PARAM_ENTRY 8u
#define SNP_ENTRY_PARAM_STACK 16u
#define SNP_ENTRY_PARAM_BOOT_INFO 24u
int boot_snp_entry_page(uint8_t *page, const struct boot_regs *r);

#endif
