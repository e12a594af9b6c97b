/* Boot page tables, GDT and VP register state; see boot_pages.h. */
#include <string.h>

#include "boot_pages.h"
#include "keel/boot_info.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull

static void put64(uint8_t *page, unsigned index, uint64_t v)
{
	memcpy(page + index * 8u, &v, 8);
}

void boot_page_tables(uint8_t *pages)
{
	const uint64_t base = KEEL_GPA_PAGE_TABLES;
	uint8_t *pml4 = pages, *pdpt_lo = pages + 0x1000, *pdpt_hi = pages + 0x2000;

	/* 0xffffffff80000000: PML4 index 511, PDPT index 510. */
	put64(pml4, 0, (base + 0x1000) | PTE_P | PTE_W);
	put64(pml4, 511, (base + 0x2000) | PTE_P | PTE_W);
	for (unsigned i = 0; i < 4; i++) {
		uint8_t *pd = pages + 0x3000 + i * 0x1000u;
		put64(pdpt_lo, i, (base + 0x3000 + i * 0x1000ull) | PTE_P | PTE_W);
		for (unsigned j = 0; j < 512; j++)
			put64(pd, j, (((uint64_t)i << 30) + ((uint64_t)j << 21)) | PTE_P | PTE_W | PTE_PS);
	}
	put64(pdpt_hi, 510, (base + 0x3000) | PTE_P | PTE_W); /* the PD for 0-1 GiB */
}

void boot_gdt(uint8_t *page)
{
	put64(page, 0, 0);
	put64(page, 1, 0x00AF9B000000FFFFull); /* P DPL0 code exec/read, L, G */
	put64(page, 2, 0x00CF93000000FFFFull); /* P DPL0 data read/write, D/B, G */
	put64(page, 3, 0x00CF9B000000FFFFull); /* P DPL0 32-bit code exec/read, D/B, G */
}

/* build/loader/gen/snp_entry32.c, made from snp_entry32.asm by make. */
extern const unsigned char snp_entry32_bin[];
extern const unsigned int snp_entry32_bin_len;

int boot_snp_entry_page(uint8_t *page, const struct boot_regs *r)
{
	if (snp_entry32_bin_len > 4096 || snp_entry32_bin_len < SNP_ENTRY_PARAM_BOOT_INFO + 8)
		return -1;
	memset(page, 0, 4096);
	memcpy(page, snp_entry32_bin, snp_entry32_bin_len);
	memcpy(page + SNP_ENTRY_PARAM_ENTRY, &r->rip, 8);
	memcpy(page + SNP_ENTRY_PARAM_STACK, &r->rsp, 8);
	memcpy(page + SNP_ENTRY_PARAM_BOOT_INFO, &r->rdi, 8);
	return 0;
}

void boot_native_context(IgvmNativeVpContextX64 *c, const struct boot_regs *r)
{
	memset(c, 0, sizeof(*c));
	c->rip = r->rip;
	c->rsp = r->rsp;
	c->rdi = r->rdi;
	c->rflags = 0x2; /* interrupts off */
	c->gdtr_base = r->gdt_base;
	c->gdtr_size = r->gdt_limit;
	/* Attributes in the 16-bit form: type S DPL P in 7:0, AVL L D/B G in 15:12. */
	c->code_selector = KEEL_BOOT_GDT_CODE_SELECTOR;
	c->code_attributes = 0xA09B;
	c->code_limit = 0xFFFFFFFF;
	c->data_selector = KEEL_BOOT_GDT_DATA_SELECTOR;
	c->data_attributes = 0xC093;
	c->data_limit = 0xFFFFFFFF;
	c->cr0 = r->cr0;
	c->cr3 = r->cr3;
	c->cr4 = r->cr4;
	c->efer = r->efer;
}

static SEV_SELECTOR sel(uint16_t selector, uint16_t attrib, uint32_t limit, uint64_t base)
{
	SEV_SELECTOR s = { .selector = selector, .attrib = attrib, .limit = limit, .base = base };
	return s;
}

void boot_snp_vmsa(SEV_VMSA *v, const struct boot_regs *r)
{
	memset(v, 0, sizeof(*v));
	/* VMCB attribute form: type S DPL P in 7:0, AVL L D/B G in 11:8. */
	v->cs = sel(KEEL_BOOT_GDT_CODE32_SELECTOR, 0xC9B, 0xFFFFFFFF, 0);
	v->ds = v->es = v->ss = v->fs = v->gs =
		sel(KEEL_BOOT_GDT_DATA_SELECTOR, 0xC93, 0xFFFFFFFF, 0);
	v->gdtr = sel(0, 0, r->gdt_limit, r->gdt_base);
	v->idtr = sel(0, 0, 0, 0);
	v->ldtr = sel(0, 0x82, 0xFFFF, 0);
	v->tr = sel(0, 0x8B, 0xFFFF, 0);
	v->efer = BOOT_EFER_SVME;
	v->cr0 = BOOT_SNP_CR0;
	v->cr4 = BOOT_SNP_CR4;
	v->rflags = 0x2;
	v->rip = KEEL_GPA_SNP_ENTRY;
	v->rsp = r->rsp;
	v->dr6 = 0xFFFF0FF0;
	v->dr7 = 0x400;
	v->pat = 0x0007040600070406ull;
	v->xcr0 = 1;
	v->mxcsr = 0x1F80;
	v->x87_fcw = 0x37F;
	v->sev_features = SEV_FEATURE_SNP;
}
