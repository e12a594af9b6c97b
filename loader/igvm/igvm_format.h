/*
 * IGVM format version 1: the wire structures, with the spec's names.
 *
 * Source: the IGVM specification as published in the `igvm_defs` crate
 * (github.com/microsoft/igvm, igvm_defs/src/lib.rs) and the AMD SEV-SNP
 * VMSA layout from igvm/src/snp_defs.rs (AMD APM vol. 2, table B-4).
 * Everything is little-endian. Only <stdint.h>: this header is shared by the
 * host tools and the 32-bit freestanding shim.
 */
#ifndef KEEL_IGVM_FORMAT_H
#define KEEL_IGVM_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define IGVM_MAGIC_VALUE 0x4D564749u /* "IGVM" */
#define IGVM_FORMAT_VERSION_1 1u
#define IGVM_PAGE_SIZE_4K 0x1000u
#define IGVM_PAGE_SIZE_2M 0x200000u

/* The fixed header at file offset 0. checksum: CRC32 (IEEE) over the fixed
 * header and the variable header, computed with this field as zero. */
typedef struct {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset; /* >= sizeof, 8-byte aligned */
	uint32_t variable_header_size;
	uint32_t total_file_size;
	uint32_t checksum;
} IGVM_FIXED_HEADER;
_Static_assert(sizeof(IGVM_FIXED_HEADER) == 24, "IGVM_FIXED_HEADER");
_Static_assert(offsetof(IGVM_FIXED_HEADER, checksum) == 20, "IGVM_FIXED_HEADER.checksum");

/* Each variable header: type, length of the body (not counting these 8
 * bytes); the next header starts at the body end rounded up to 8. */
typedef struct {
	uint32_t typ;
	uint32_t length;
} IGVM_VHS_VARIABLE_HEADER;
_Static_assert(sizeof(IGVM_VHS_VARIABLE_HEADER) == 8, "IGVM_VHS_VARIABLE_HEADER");

/* High bit of the type: a loader that does not know the type may skip it.
 * Clear: the file cannot be loaded by a loader that does not know it. */
#define IGVM_VHF_TYPE_IGNORABLE 0x80000000u

/* Section ranges (types must not go back to an earlier section). */
#define IGVM_VHT_RANGE_PLATFORM_FIRST 0x001u
#define IGVM_VHT_RANGE_PLATFORM_LAST 0x100u
#define IGVM_VHT_RANGE_INIT_FIRST 0x101u
#define IGVM_VHT_RANGE_INIT_LAST 0x200u
#define IGVM_VHT_RANGE_DIRECTIVE_FIRST 0x301u
#define IGVM_VHT_RANGE_DIRECTIVE_LAST 0x400u

/* IgvmVariableHeaderType */
#define IGVM_VHT_SUPPORTED_PLATFORM 0x001u
#define IGVM_VHT_GUEST_POLICY 0x101u
#define IGVM_VHT_RELOCATABLE_REGION 0x102u
#define IGVM_VHT_PAGE_TABLE_RELOCATION_REGION 0x103u
#define IGVM_VHT_PARAMETER_AREA 0x301u
#define IGVM_VHT_PAGE_DATA 0x302u
#define IGVM_VHT_PARAMETER_INSERT 0x303u
#define IGVM_VHT_VP_CONTEXT 0x304u
#define IGVM_VHT_REQUIRED_MEMORY 0x305u
#define IGVM_VHT_RESERVED_DO_NOT_USE 0x306u
#define IGVM_VHT_VP_COUNT_PARAMETER 0x307u
#define IGVM_VHT_SRAT 0x308u
#define IGVM_VHT_MADT 0x309u
#define IGVM_VHT_MMIO_RANGES 0x30Au
#define IGVM_VHT_SNP_ID_BLOCK 0x30Bu
#define IGVM_VHT_MEMORY_MAP 0x30Cu
#define IGVM_VHT_ERROR_RANGE 0x30Du
#define IGVM_VHT_COMMAND_LINE 0x30Eu
#define IGVM_VHT_SLIT 0x30Fu
#define IGVM_VHT_PPTT 0x310u
#define IGVM_VHT_VBS_MEASUREMENT 0x311u
#define IGVM_VHT_DEVICE_TREE 0x312u
#define IGVM_VHT_ENVIRONMENT_INFO_PARAMETER 0x313u

/* IgvmPlatformType */
#define IGVM_PLATFORM_TYPE_NATIVE 0x00u
#define IGVM_PLATFORM_TYPE_VSM_ISOLATION 0x01u
#define IGVM_PLATFORM_TYPE_SEV_SNP 0x02u
#define IGVM_PLATFORM_TYPE_TDX 0x03u
#define IGVM_NATIVE_PLATFORM_VERSION 1u
#define IGVM_VSM_ISOLATION_PLATFORM_VERSION 1u
#define IGVM_SEV_SNP_PLATFORM_VERSION 1u
#define IGVM_TDX_PLATFORM_VERSION 1u

typedef struct {
	uint32_t compatibility_mask; /* exactly one bit */
	uint8_t highest_vtl;
	uint8_t platform_type; /* IGVM_PLATFORM_TYPE_* */
	uint16_t platform_version;
	uint64_t shared_gpa_boundary;
} IGVM_VHS_SUPPORTED_PLATFORM;
_Static_assert(sizeof(IGVM_VHS_SUPPORTED_PLATFORM) == 16, "IGVM_VHS_SUPPORTED_PLATFORM");

typedef struct {
	uint64_t policy; /* SNP: the guest policy of the SNP ABI spec, 4.3 */
	uint32_t compatibility_mask;
	uint32_t reserved;
} IGVM_VHS_GUEST_POLICY;
_Static_assert(sizeof(IGVM_VHS_GUEST_POLICY) == 16, "IGVM_VHS_GUEST_POLICY");

typedef struct {
	uint64_t number_of_bytes; /* page aligned */
	uint32_t parameter_area_index;
	uint32_t file_offset; /* initial contents, 0 = zeroes */
} IGVM_VHS_PARAMETER_AREA;
_Static_assert(sizeof(IGVM_VHS_PARAMETER_AREA) == 16, "IGVM_VHS_PARAMETER_AREA");

/* IgvmPageDataType */
#define IGVM_PAGE_DATA_TYPE_NORMAL 0x0u
#define IGVM_PAGE_DATA_TYPE_SECRETS 0x1u
#define IGVM_PAGE_DATA_TYPE_CPUID_DATA 0x2u
#define IGVM_PAGE_DATA_TYPE_CPUID_XF 0x3u

/* IgvmPageDataFlags */
#define IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE 0x1u
#define IGVM_PAGE_DATA_FLAG_UNMEASURED 0x2u
#define IGVM_PAGE_DATA_FLAG_SHARED 0x4u
#define IGVM_PAGE_DATA_FLAGS_KNOWN 0x7u

typedef struct {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset; /* from the file start; 0 = a page of zeroes */
	uint32_t flags;       /* IGVM_PAGE_DATA_FLAG_* */
	uint16_t data_type;   /* IGVM_PAGE_DATA_TYPE_* */
	uint16_t reserved;
} IGVM_VHS_PAGE_DATA;
_Static_assert(sizeof(IGVM_VHS_PAGE_DATA) == 24, "IGVM_VHS_PAGE_DATA");

typedef struct {
	uint64_t gpa; /* page aligned */
	uint32_t compatibility_mask;
	uint32_t parameter_area_index;
} IGVM_VHS_PARAMETER_INSERT;
_Static_assert(sizeof(IGVM_VHS_PARAMETER_INSERT) == 16, "IGVM_VHS_PARAMETER_INSERT");

/* Body of VP_COUNT_PARAMETER, MEMORY_MAP, SRAT, MADT, MMIO_RANGES,
 * COMMAND_LINE, SLIT, PPTT, DEVICE_TREE, ENVIRONMENT_INFO_PARAMETER. */
typedef struct {
	uint32_t parameter_area_index;
	uint32_t byte_offset;
} IGVM_VHS_PARAMETER;
_Static_assert(sizeof(IGVM_VHS_PARAMETER) == 8, "IGVM_VHS_PARAMETER");

/* Not 8-byte aligned in the spec (gpa is an unaligned u64_le): 20 bytes. */
typedef struct __attribute__((packed, aligned(4))) {
	uint64_t gpa; /* NATIVE: 0; SEV-SNP: where the VMSA goes */
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint16_t vp_index;
	uint16_t reserved;
} IGVM_VHS_VP_CONTEXT;
_Static_assert(sizeof(IGVM_VHS_VP_CONTEXT) == 20, "IGVM_VHS_VP_CONTEXT");

typedef struct {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t number_of_bytes;
	uint32_t flags;
	uint32_t reserved;
} IGVM_VHS_REQUIRED_MEMORY;
_Static_assert(sizeof(IGVM_VHS_REQUIRED_MEMORY) == 24, "IGVM_VHS_REQUIRED_MEMORY");

typedef struct {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t size_bytes;
} IGVM_VHS_ERROR_RANGE;
_Static_assert(sizeof(IGVM_VHS_ERROR_RANGE) == 16, "IGVM_VHS_ERROR_RANGE");

/* Body sizes of the headers Keel only length-checks (igvm_defs). */
#define IGVM_VHS_SNP_ID_BLOCK_SIZE 696u    /* 104 + 2 * (144 signature + 152 key) */
#define IGVM_VHS_VBS_MEASUREMENT_SIZE 864u /* 8 u32 + 64 + 256 + 512 */

/* MemoryMapEntryType; the entry itself is struct keel_igvm_memmap_entry
 * (loader/include/keel/boot_info.h), IGVM_VHS_MEMORY_MAP_ENTRY in the spec. */
#define IGVM_MEMORY_MAP_ENTRY_TYPE_MEMORY 0x0u
#define IGVM_MEMORY_MAP_ENTRY_TYPE_PLATFORM_RESERVED 0x1u

/*
 * VP context file data for the NATIVE platform on x86-64
 * (IgvmNativeVpContextX64). Registers not listed start at reset values.
 */
typedef struct {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint64_t rflags;
	uint64_t idtr_base;
	uint16_t idtr_size;
	uint16_t reserved[2];
	uint16_t gdtr_size;
	uint64_t gdtr_base;
	uint16_t code_selector;
	uint16_t code_attributes; /* bits 11:8 zero */
	uint32_t code_base;
	uint32_t code_limit;
	uint16_t data_selector; /* applied to es, ds, ss, fs, gs */
	uint16_t data_attributes;
	uint32_t data_base;
	uint32_t data_limit;
	uint64_t gs_base;
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
} IgvmNativeVpContextX64;
_Static_assert(sizeof(IgvmNativeVpContextX64) == 0xE8, "IgvmNativeVpContextX64");
_Static_assert(offsetof(IgvmNativeVpContextX64, rip) == 0x80, "native ctx rip");
_Static_assert(offsetof(IgvmNativeVpContextX64, gdtr_size) == 0x9E, "native ctx gdtr_size");
_Static_assert(offsetof(IgvmNativeVpContextX64, gdtr_base) == 0xA0, "native ctx gdtr_base");
_Static_assert(offsetof(IgvmNativeVpContextX64, code_selector) == 0xA8, "native ctx cs");
_Static_assert(offsetof(IgvmNativeVpContextX64, data_selector) == 0xB4, "native ctx ds");
_Static_assert(offsetof(IgvmNativeVpContextX64, cr0) == 0xC8, "native ctx cr0");

/* AMD SEV-ES/SNP VMSA segment register (SevSelector). attrib is the VMCB
 * compressed form: type[3:0] S[4] DPL[6:5] P[7] AVL[8] L[9] D/B[10] G[11]. */
typedef struct {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
} SEV_SELECTOR;
_Static_assert(sizeof(SEV_SELECTOR) == 16, "SEV_SELECTOR");

#define SEV_FEATURE_SNP 0x1ull

/* The SEV_VMSA save area (SevVmsa); only the fields Keel sets are named,
 * the rest is reserved space at the spec's offsets. */
typedef struct {
	SEV_SELECTOR es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	uint8_t pad_0a0[0xCA - 0xA0];
	uint8_t vmpl; /* 0x0CA */
	uint8_t cpl;  /* 0x0CB */
	uint32_t pad_0cc;
	uint64_t efer; /* 0x0D0 */
	uint8_t pad_0d8[0x148 - 0xD8];
	uint64_t cr4;    /* 0x148 */
	uint64_t cr3;    /* 0x150 */
	uint64_t cr0;    /* 0x158 */
	uint64_t dr7;    /* 0x160 */
	uint64_t dr6;    /* 0x168 */
	uint64_t rflags; /* 0x170 */
	uint64_t rip;    /* 0x178 */
	uint8_t pad_180[0x1D8 - 0x180];
	uint64_t rsp; /* 0x1D8 */
	uint8_t pad_1e0[0x1F8 - 0x1E0];
	uint64_t rax; /* 0x1F8 */
	uint8_t pad_200[0x268 - 0x200];
	uint64_t pat; /* 0x268 */
	uint8_t pad_270[0x308 - 0x270];
	uint64_t rcx, rdx, rbx, reserved_320, rbp, rsi, rdi; /* 0x308 */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;       /* 0x340 */
	uint8_t pad_380[0x3B0 - 0x380];
	uint64_t sev_features; /* 0x3B0 */
	uint8_t pad_3b8[0x3E8 - 0x3B8];
	uint64_t xcr0; /* 0x3E8 */
	uint8_t pad_3f0[0x408 - 0x3F0];
	uint32_t mxcsr;   /* 0x408 */
	uint16_t x87_ftw; /* 0x40C */
	uint16_t x87_fsw; /* 0x40E */
	uint16_t x87_fcw; /* 0x410 */
	uint8_t pad_412[0x670 - 0x412];
} SEV_VMSA;
_Static_assert(sizeof(SEV_VMSA) == 0x670, "SEV_VMSA");
_Static_assert(offsetof(SEV_VMSA, efer) == 0xD0, "SEV_VMSA.efer");
_Static_assert(offsetof(SEV_VMSA, cr4) == 0x148, "SEV_VMSA.cr4");
_Static_assert(offsetof(SEV_VMSA, rip) == 0x178, "SEV_VMSA.rip");
_Static_assert(offsetof(SEV_VMSA, rsp) == 0x1D8, "SEV_VMSA.rsp");
_Static_assert(offsetof(SEV_VMSA, rax) == 0x1F8, "SEV_VMSA.rax");
_Static_assert(offsetof(SEV_VMSA, pat) == 0x268, "SEV_VMSA.pat");
_Static_assert(offsetof(SEV_VMSA, rcx) == 0x308, "SEV_VMSA.rcx");
_Static_assert(offsetof(SEV_VMSA, rdi) == 0x338, "SEV_VMSA.rdi");
_Static_assert(offsetof(SEV_VMSA, r15) == 0x378, "SEV_VMSA.r15");
_Static_assert(offsetof(SEV_VMSA, sev_features) == 0x3B0, "SEV_VMSA.sev_features");
_Static_assert(offsetof(SEV_VMSA, xcr0) == 0x3E8, "SEV_VMSA.xcr0");
_Static_assert(offsetof(SEV_VMSA, x87_fcw) == 0x410, "SEV_VMSA.x87_fcw");

/* In the file, an SNP VP context is one 4 KiB page holding the VMSA. */
#define IGVM_SNP_VMSA_FILE_SIZE IGVM_PAGE_SIZE_4K

#endif
