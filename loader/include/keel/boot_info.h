/*
 * The contract between the IGVM file (loader/igvm-build) and the kernel.
 * See docs/boot.md. The kernel is entered in 64-bit mode from the IGVM VP
 * context with RDI = KEEL_GPA_BOOT_INFO, RSP at the top of the boot stack,
 * interrupts off, CR3 = the boot page tables (identity map of the low
 * 4 GiB with 2 MiB pages, and KEEL_KERNEL_VBASE -> physical 0 for 1 GiB).
 * The boot info page is PAGE_DATA, so everything in it is measured.
 */
#ifndef KEEL_BOOT_INFO_H
#define KEEL_BOOT_INFO_H

#include <stdint.h>

#define KEEL_BOOT_MAGIC 0x4c45454b544f4f42ull /* "BOOTKEEL" little-endian */
#define KEEL_BOOT_VERSION 1u

#define KEEL_PLATFORM_NATIVE 1u
#define KEEL_PLATFORM_SNP 2u

/* Fixed guest-physical layout (all below the kernel, all measured or parameter pages). */
#define KEEL_GPA_BOOT_INFO 0x00800000ull  /* struct keel_boot_info */
#define KEEL_GPA_MEMMAP 0x00801000ull     /* IGVM memory-map parameter area, KEEL_MEMMAP_PAGES pages */
#define KEEL_MEMMAP_PAGES 1u
#define KEEL_GPA_VPCOUNT 0x00803000ull    /* IGVM VP-count parameter area (u32), 1 page */
#define KEEL_GPA_CPUID 0x00804000ull      /* SNP CPUID page (SNP only) */
#define KEEL_GPA_SECRETS 0x00805000ull    /* SNP secrets page (SNP only) */
#define KEEL_GPA_BOOT_GDT 0x00806000ull   /* boot GDT (null, 64-bit code 0x08, data 0x10, 32-bit code 0x18), 1 page */
#define KEEL_BOOT_GDT_CODE_SELECTOR 0x08u
#define KEEL_BOOT_GDT_DATA_SELECTOR 0x10u
#define KEEL_BOOT_GDT_CODE32_SELECTOR 0x18u /* 32-bit code: the SNP entry stub's CS */
#define KEEL_GPA_SNP_ENTRY 0x00807000ull  /* 32-bit SNP entry stub (snp_entry32.asm), 1 page */
#define KEEL_GPA_PAGE_TABLES 0x00810000ull /* boot page tables, KEEL_PAGE_TABLE_PAGES pages */
#define KEEL_PAGE_TABLE_PAGES 16u
#define KEEL_GPA_BOOT_STACK 0x00840000ull /* boot stack, KEEL_BOOT_STACK_PAGES zero pages */
#define KEEL_BOOT_STACK_PAGES 16u
#define KEEL_GPA_KERNEL 0x01000000ull     /* kernel image physical base (16 MiB) */
#define KEEL_SNP_VMSA_GPA 0xFFFFFFFFF000ull

/* Kernel virtual layout. */
#define KEEL_KERNEL_VBASE 0xffffffff80000000ull  /* maps physical 0 (kernel linked at VBASE + GPA_KERNEL) */
#define KEEL_DIRECT_MAP_BASE 0xffff800000000000ull /* the kernel's direct map of all RAM */

struct keel_boot_info {
	uint64_t magic;          /* KEEL_BOOT_MAGIC */
	uint32_t version;        /* KEEL_BOOT_VERSION */
	uint32_t platform;       /* KEEL_PLATFORM_*: which VP context entered us */
	uint64_t kernel_gpa;     /* first byte of the kernel image */
	uint64_t kernel_size;    /* bytes, page-rounded, including .bss */
	uint64_t bundle_gpa;     /* boot bundle (docs/boot.md), page aligned */
	uint64_t bundle_size;    /* bytes */
	uint64_t memmap_gpa;     /* IGVM_VHS_MEMORY_MAP entries, zero-terminated */
	uint32_t memmap_size;    /* bytes available at memmap_gpa */
	uint32_t reserved0;
	uint64_t vpcount_gpa;    /* u32 VP count written by the loader */
	uint64_t cpuid_gpa;      /* 0 on native */
	uint64_t secrets_gpa;    /* 0 on native */
	uint64_t reserved[6];
};
_Static_assert(sizeof(struct keel_boot_info) == 136, "keel_boot_info layout");

/*
 * IGVM memory map entry (IGVM spec, IGVM_VHS_MEMORY_MAP_ENTRY): what the
 * loader writes into the memory-map parameter area. An entry with
 * number_of_pages == 0 ends the list.
 */
struct keel_igvm_memmap_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type; /* 0 = MEMORY (usable RAM), 1 = PLATFORM_RESERVED, 2 = PERSISTENT, 3 = VTL2_PROTECTABLE */
	uint16_t flags;
	uint32_t reserved;
};
_Static_assert(sizeof(struct keel_igvm_memmap_entry) == 24, "IGVM memory map entry");

#define KEEL_IGVM_MEMMAP_MEMORY 0u

#endif
