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

/* The boot GDT page: null, 64-bit code (0x08), data (0x10). */
void boot_gdt(uint8_t *page);
#define BOOT_GDT_LIMIT (3u * 8u - 1u)

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
void boot_snp_vmsa(SEV_VMSA *v, const struct boot_regs *r);

#endif
