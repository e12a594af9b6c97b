/* igvm-build's layout: build from the fixture kernel (test_kernel.asm) and
 * a fake bundle, parse it back, and check every piece of the boot contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot_pages.h"
#include "igvm_io.h"
#include "igvm_parse.h"
#include "keel/boot_info.h"
#include "layout.h"
#include "snp_measure.h"

#ifndef TEST_KERNEL_ELF
#error "TEST_KERNEL_ELF must name the fixture kernel"
#endif

static uint8_t bundle[10000];

struct seen {
	int native_ctx, vmsa, boot_info[3], gdt, pml4, kernel_text, bss_zero, bundle_first, stub;
	uint64_t entry;
};

static void check_page(struct seen *s, const struct igvm_directive *d)
{
	uint64_t gpa = d->u.page.gpa;
	if (gpa == KEEL_GPA_BOOT_INFO) {
		struct keel_boot_info bi;
		memcpy(&bi, d->data, sizeof(bi));
		assert_int_equal(bi.magic, KEEL_BOOT_MAGIC);
		assert_int_equal(bi.kernel_gpa, KEEL_GPA_KERNEL);
		assert_int_equal(bi.kernel_size, 0x5000);
		assert_int_equal(bi.bundle_gpa, 0x1200000);
		assert_int_equal(bi.bundle_size, sizeof(bundle));
		assert_int_equal(bi.platform, d->compatibility_mask == 1 ? KEEL_PLATFORM_NATIVE
									: KEEL_PLATFORM_SNP);
		assert_int_equal(bi.cpuid_gpa, d->compatibility_mask == 1 ? 0 : KEEL_GPA_CPUID);
		s->boot_info[d->compatibility_mask]++;
	} else if (gpa == KEEL_GPA_BOOT_GDT) {
		uint64_t cs;
		memcpy(&cs, d->data + 8, 8);
		assert_int_equal(cs, 0x00AF9B000000FFFFull);
		memcpy(&cs, d->data + KEEL_BOOT_GDT_CODE32_SELECTOR, 8);
		assert_int_equal(cs, 0x00CF9B000000FFFFull); /* the SNP stub's 32-bit CS */
		s->gdt++;
	} else if (gpa == KEEL_GPA_SNP_ENTRY) {
		uint64_t v;
		assert_int_equal(d->compatibility_mask, 3); /* the shim's stub path loads it too */
		memcpy(&v, d->data + SNP_ENTRY_PARAM_ENTRY, 8);
		assert_int_equal(v, 0xffffffff81000000ull);
		memcpy(&v, d->data + SNP_ENTRY_PARAM_STACK, 8);
		assert_int_equal(v, KEEL_GPA_BOOT_STACK + KEEL_BOOT_STACK_PAGES * 4096);
		memcpy(&v, d->data + SNP_ENTRY_PARAM_BOOT_INFO, 8);
		assert_int_equal(v, KEEL_GPA_BOOT_INFO);
		s->stub++;
	} else if (gpa == KEEL_GPA_PAGE_TABLES) {
		uint64_t e0, e511;
		memcpy(&e0, d->data, 8);
		memcpy(&e511, d->data + 511 * 8, 8);
		assert_int_equal(e0, KEEL_GPA_PAGE_TABLES + 0x1003);
		assert_int_equal(e511, KEEL_GPA_PAGE_TABLES + 0x2003);
		s->pml4++;
	} else if (gpa == KEEL_GPA_KERNEL) {
		assert_int_equal(d->data[0], 0xb8); /* mov eax, imm32 */
		s->kernel_text++;
	} else if (gpa == KEEL_GPA_KERNEL + 0x2000) {
		assert_null(d->data); /* .bss */
		s->bss_zero++;
	} else if (gpa == 0x1200000) {
		assert_memory_equal(d->data, bundle, 4096);
		s->bundle_first++;
	}
}

static void check_vp(struct seen *s, const struct igvm_directive *d)
{
	if (d->vp_platform == IGVM_PLATFORM_TYPE_NATIVE) {
		IgvmNativeVpContextX64 c;
		memcpy(&c, d->data, sizeof(c));
		assert_int_equal(c.rip, 0xffffffff81000000ull);
		assert_int_equal(c.rdi, KEEL_GPA_BOOT_INFO);
		assert_int_equal(c.rsp, KEEL_GPA_BOOT_STACK + KEEL_BOOT_STACK_PAGES * 4096);
		assert_int_equal(c.cr3, KEEL_GPA_PAGE_TABLES);
		assert_int_equal(c.cr0, 0x80010033ull);
		assert_int_equal(c.cr4 & 0x20, 0x20);
		assert_int_equal(c.efer & 0x500, 0x500);
		assert_int_equal(c.gdtr_base, KEEL_GPA_BOOT_GDT);
		assert_int_equal(c.code_selector, 8);
		/* A full page of file data, zero after the context (igvm crate). */
		assert_int_equal(d->u.vp.file_offset & 0xFFF, 0);
		for (size_t i = sizeof(c); i < 4096; i++)
			assert_int_equal(d->data[i], 0);
		s->native_ctx++;
	} else {
		SEV_VMSA v;
		memcpy(&v, d->data, sizeof(v));
		assert_int_equal(d->gpa, KEEL_SNP_VMSA_GPA);
		/* KVM's reset-compatible state: 32-bit protected mode, no paging,
		 * entering the SNP stub. */
		assert_int_equal(v.rip, KEEL_GPA_SNP_ENTRY);
		assert_int_equal(v.cr0, 0x31);
		assert_int_equal(v.efer, 0x1000);
		assert_int_equal(v.cr3, 0);
		assert_int_equal(v.rsp, KEEL_GPA_BOOT_STACK + KEEL_BOOT_STACK_PAGES * 4096);
		assert_int_equal(v.sev_features & SEV_FEATURE_SNP, 1);
		assert_int_equal(v.cs.attrib, 0xC9B);
		assert_int_equal(v.cs.selector, KEEL_BOOT_GDT_CODE32_SELECTOR);
		assert_int_equal(v.gdtr.base, KEEL_GPA_BOOT_GDT);
		s->vmsa++;
	}
}

static void build_and_check(int snp)
{
	uint8_t *elf, *f;
	size_t elf_len, len;
	char err[256];
	assert_int_equal(igvm_read_file(TEST_KERNEL_ELF, 1 << 24, &elf, &elf_len, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(bundle); i++)
		bundle[i] = (uint8_t)(i * 13 + 5);
	struct igvm_writer w;
	igvm_writer_init(&w);
	struct layout_in in = { elf, elf_len, bundle, sizeof(bundle), snp };
	assert_int_equal(layout_build(&w, &in, err, sizeof(err)), 0);
	assert_int_equal(igvm_writer_finish(&w, &f, &len), 0);
	igvm_writer_free(&w);

	struct igvm_file pf;
	struct igvm_error e;
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);
	assert_int_equal(pf.nplatforms, snp ? 2 : 1);
	struct seen s = { 0 };
	struct igvm_iter it;
	struct igvm_directive d;
	igvm_iter_init(&it, &pf);
	while (igvm_iter_next(&it, &d) == 1) {
		if (d.type == IGVM_VHT_PAGE_DATA)
			check_page(&s, &d);
		else if (d.type == IGVM_VHT_VP_CONTEXT)
			check_vp(&s, &d);
	}
	assert_int_equal(s.native_ctx, 1);
	assert_int_equal(s.vmsa, snp);
	assert_int_equal(s.boot_info[1], 1);
	assert_int_equal(s.boot_info[2], snp);
	assert_int_equal(s.gdt + s.pml4 + s.kernel_text + s.bss_zero + s.bundle_first, 5);
	assert_int_equal(s.stub, snp);
	const char *why = NULL;
	assert_int_equal(snp_check_kvm(&pf, &why), snp ? 0 : -1);
	free(f);
	free(elf);
}

static void test_native_layout(void **st) { (void)st; build_and_check(0); }
static void test_snp_layout(void **st) { (void)st; build_and_check(1); }

static void test_bad_kernel_rejected(void **st)
{
	(void)st;
	uint8_t *elf;
	size_t elf_len;
	char err[256];
	assert_int_equal(igvm_read_file(TEST_KERNEL_ELF, 1 << 24, &elf, &elf_len, err, sizeof(err)), 0);
	struct igvm_writer w;
	struct layout_in in = { elf, 100, bundle, sizeof(bundle), 0 }; /* truncated */
	igvm_writer_init(&w);
	assert_int_equal(layout_build(&w, &in, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "kernel ELF"));
	in.kernel_elf_len = elf_len;
	elf[18] = 3; /* e_machine = EM_386 */
	assert_int_equal(layout_build(&w, &in, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "x86-64"));
	igvm_writer_free(&w);
	free(elf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native_layout),
		cmocka_unit_test(test_snp_layout),
		cmocka_unit_test(test_bad_kernel_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
