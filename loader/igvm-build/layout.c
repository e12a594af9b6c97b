/* The Keel IGVM layout; see layout.h and docs/igvm.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_pages.h"
#include "kernel_elf.h"
#include "keel/boot_info.h"
#include "layout.h"

#define PAGE 4096ull
#define ALIGN_2M(x) (((x) + 0x1FFFFFull) & ~0x1FFFFFull)

struct plan {
	struct kernel_image kernel;
	struct boot_regs regs; /* entry state of both platforms */
	uint64_t bundle_gpa, bundle_size;
	uint32_t all; /* every platform's mask */
};

/* `len` bytes of `data` as consecutive 4 KiB PAGE_DATA from `gpa`. */
static int add_range(struct igvm_writer *w, uint64_t gpa, uint32_t mask, const uint8_t *data,
		     uint64_t len, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t off = i * PAGE;
		size_t n = data && off < len ? (size_t)(len - off < PAGE ? len - off : PAGE) : 0;
		if (igvm_add_page(w, gpa + off, mask, 0, IGVM_PAGE_DATA_TYPE_NORMAL,
				  n ? data + off : NULL, n))
			return -1;
	}
	return 0;
}

static int add_boot_info(struct igvm_writer *w, const struct plan *p, uint32_t mask,
			 uint32_t platform)
{
	uint8_t page[PAGE];
	struct keel_boot_info bi = {
		.magic = KEEL_BOOT_MAGIC, .version = KEEL_BOOT_VERSION, .platform = platform,
		.kernel_gpa = p->kernel.gpa, .kernel_size = p->kernel.size,
		.bundle_gpa = p->bundle_gpa, .bundle_size = p->bundle_size,
		.memmap_gpa = KEEL_GPA_MEMMAP, .memmap_size = KEEL_MEMMAP_PAGES * (uint32_t)PAGE,
		.vpcount_gpa = KEEL_GPA_VPCOUNT,
	};
	if (platform == KEEL_PLATFORM_SNP) {
		bi.cpuid_gpa = KEEL_GPA_CPUID;
		bi.secrets_gpa = KEEL_GPA_SECRETS;
	}
	memset(page, 0, sizeof(page));
	memcpy(page, &bi, sizeof(bi));
	return igvm_add_page(w, KEEL_GPA_BOOT_INFO, mask, 0, IGVM_PAGE_DATA_TYPE_NORMAL, page,
			     sizeof(page));
}

/* Platforms, policy, parameter area declarations. */
static int add_preamble(struct igvm_writer *w, const struct layout_in *in)
{
	if (igvm_add_platform(w, LAYOUT_MASK_NATIVE, IGVM_PLATFORM_TYPE_NATIVE,
			      IGVM_NATIVE_PLATFORM_VERSION))
		return -1;
	if (in->snp && (igvm_add_platform(w, LAYOUT_MASK_SNP, IGVM_PLATFORM_TYPE_SEV_SNP,
					  IGVM_SEV_SNP_PLATFORM_VERSION) ||
			igvm_add_guest_policy(w, LAYOUT_MASK_SNP, LAYOUT_SNP_POLICY)))
		return -1;
	if (igvm_add_param_area(w, LAYOUT_AREA_MEMMAP, KEEL_MEMMAP_PAGES * PAGE) ||
	    igvm_add_parameter(w, IGVM_VHT_MEMORY_MAP, LAYOUT_AREA_MEMMAP, 0) ||
	    igvm_add_param_area(w, LAYOUT_AREA_VPCOUNT, PAGE) ||
	    igvm_add_parameter(w, IGVM_VHT_VP_COUNT_PARAMETER, LAYOUT_AREA_VPCOUNT, 0))
		return -1;
	return 0;
}

/* Everything below the kernel, in GPA order. */
static int add_low_pages(struct igvm_writer *w, const struct plan *p, const struct layout_in *in)
{
	uint8_t gdt[PAGE];
	uint8_t *tables = calloc(KEEL_PAGE_TABLE_PAGES, PAGE);
	int rc = -1;

	if (!tables)
		return -1;
	if (add_boot_info(w, p, LAYOUT_MASK_NATIVE, KEEL_PLATFORM_NATIVE) ||
	    (in->snp && add_boot_info(w, p, LAYOUT_MASK_SNP, KEEL_PLATFORM_SNP)) ||
	    igvm_add_param_insert(w, KEEL_GPA_MEMMAP, p->all, LAYOUT_AREA_MEMMAP) ||
	    igvm_add_param_insert(w, KEEL_GPA_VPCOUNT, p->all, LAYOUT_AREA_VPCOUNT))
		goto out;
	if (in->snp && (igvm_add_page(w, KEEL_GPA_CPUID, LAYOUT_MASK_SNP, 0,
				      IGVM_PAGE_DATA_TYPE_CPUID_DATA, NULL, 0) ||
			igvm_add_page(w, KEEL_GPA_SECRETS, LAYOUT_MASK_SNP, 0,
				      IGVM_PAGE_DATA_TYPE_SECRETS, NULL, 0)))
		goto out;
	memset(gdt, 0, sizeof(gdt));
	boot_gdt(gdt);
	boot_page_tables(tables);
	if (igvm_add_page(w, KEEL_GPA_BOOT_GDT, p->all, 0, IGVM_PAGE_DATA_TYPE_NORMAL, gdt,
			  sizeof(gdt)))
		goto out;
	if (in->snp) {
		uint8_t stub[PAGE];
		if (boot_snp_entry_page(stub, &p->regs) ||
		    igvm_add_page(w, KEEL_GPA_SNP_ENTRY, p->all, 0, IGVM_PAGE_DATA_TYPE_NORMAL, stub,
				  sizeof(stub)))
			goto out;
	}
	if (add_range(w, KEEL_GPA_PAGE_TABLES, p->all, tables, KEEL_PAGE_TABLE_PAGES * PAGE,
		      KEEL_PAGE_TABLE_PAGES) ||
	    add_range(w, KEEL_GPA_BOOT_STACK, p->all, NULL, 0, KEEL_BOOT_STACK_PAGES))
		goto out;
	rc = 0;
out:
	free(tables);
	return rc;
}

static int add_vp_contexts(struct igvm_writer *w, const struct plan *p, int snp)
{
	IgvmNativeVpContextX64 native;
	SEV_VMSA vmsa;

	boot_native_context(&native, &p->regs);
	if (igvm_add_vp_context(w, 0, LAYOUT_MASK_NATIVE, 0, &native, sizeof(native)))
		return -1;
	if (!snp)
		return 0;
	/* The VMSA goes last: QEMU/KVM measure it when the launch finishes. */
	boot_snp_vmsa(&vmsa, &p->regs);
	return igvm_add_vp_context(w, KEEL_SNP_VMSA_GPA, LAYOUT_MASK_SNP, 0, &vmsa, sizeof(vmsa));
}

int layout_build(struct igvm_writer *w, const struct layout_in *in, char *err, size_t err_len)
{
	struct plan p = { .all = LAYOUT_MASK_NATIVE | (in->snp ? LAYOUT_MASK_SNP : 0) };
	int rc = -1;

	if (kernel_elf_load(&p.kernel, in->kernel_elf, in->kernel_elf_len, err, err_len))
		return -1;
	p.regs = (struct boot_regs){
		.rip = p.kernel.entry,
		.rsp = KEEL_GPA_BOOT_STACK + KEEL_BOOT_STACK_PAGES * PAGE,
		.rdi = KEEL_GPA_BOOT_INFO,
		.cr0 = BOOT_CR0, .cr3 = KEEL_GPA_PAGE_TABLES, .cr4 = BOOT_CR4, .efer = BOOT_EFER,
		.gdt_base = KEEL_GPA_BOOT_GDT, .gdt_limit = BOOT_GDT_LIMIT,
	};
	p.bundle_gpa = ALIGN_2M(p.kernel.gpa + p.kernel.size);
	p.bundle_size = in->bundle_len;
	uint64_t bundle_pages = (p.bundle_size + PAGE - 1) / PAGE;
	if (p.bundle_gpa + bundle_pages * PAGE > (4ull << 30)) {
		snprintf(err, err_len, "kernel + bundle end past 4 GiB (the boot identity map)");
		goto out;
	}
	if (add_preamble(w, in) || add_low_pages(w, &p, in) ||
	    add_range(w, p.kernel.gpa, p.all, p.kernel.bytes, p.kernel.size, p.kernel.size / PAGE) ||
	    add_range(w, p.bundle_gpa, p.all, in->bundle, in->bundle_len, bundle_pages) ||
	    add_vp_contexts(w, &p, in->snp)) {
		snprintf(err, err_len, "IGVM writer: %s", w->err[0] ? w->err : "out of memory");
		goto out;
	}
	rc = 0;
out:
	kernel_image_free(&p.kernel);
	return rc;
}
