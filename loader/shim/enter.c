/*
 * Preparing the jump into the IGVM NATIVE VP context.
 *
 * An IGVM loader sets the segment registers' hidden state straight from the
 * context's attributes; it does not read the GDT. The shim imitates that:
 * its own transition GDT holds descriptors built from code_attributes and
 * data_attributes at the context's selector indices, so after the far jump
 * CS/DS/... hold exactly those attributes. Then, in long mode, entry.asm
 * loads the context's GDTR and IDTR, as the VP would start with them.
 */
#include <stddef.h>
#include <string.h>

#include "console.h"
#include "enter.h"
#include "igvm_parse.h"

#define SHIM_GDT_ENTRIES 32
#define CR0_PE 0x1ull
#define CR0_PG 0x80000000ull
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define ATTR_P 0x80u
#define ATTR_S 0x10u
#define ATTR_CODE 0x08u
#define ATTR_L 0x2000u
#define ATTR_DB 0x4000u
#define DEFAULT_CODE_ATTR 0xa09bu /* present, code, read, 64-bit, 4 KiB granular */
#define DEFAULT_DATA_ATTR 0xc093u /* present, data, write, 32-bit, 4 KiB granular */

_Static_assert(offsetof(struct shim_handoff, rflags) == 0x20, "handoff rflags");
_Static_assert(offsetof(struct shim_handoff, rip) == 0x28, "handoff rip");
_Static_assert(offsetof(struct shim_handoff, gpr) == 0x30, "handoff gpr");
_Static_assert(offsetof(struct shim_handoff, gs_base) == 0xb0, "handoff gs_base");
_Static_assert(offsetof(struct shim_handoff, code_selector) == 0xb8, "handoff cs");
_Static_assert(offsetof(struct shim_handoff, data_selector) == 0xba, "handoff ds");
_Static_assert(offsetof(struct shim_handoff, gdtr_limit) == 0xc6, "handoff gdtr");
_Static_assert(offsetof(struct shim_handoff, gdtr_base) == 0xc8, "handoff gdtr base");
_Static_assert(offsetof(struct shim_handoff, idtr_limit) == 0xd6, "handoff idtr");
_Static_assert(offsetof(struct shim_handoff, idtr_base) == 0xd8, "handoff idtr base");
_Static_assert(sizeof(struct shim_handoff) == 0xe0, "handoff size");

/* Read by entry.asm. */
struct shim_handoff shim_handoff __attribute__((aligned(16)));
uint64_t shim_gdt[SHIM_GDT_ENTRIES] __attribute__((aligned(16)));
struct {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed)) shim_gdtr;

/* A flat descriptor (base 0, limit 4 GiB) with the given VMX-style attributes. */
static uint64_t descriptor(uint16_t attr)
{
	return 0xffffull | (0xfull << 48) | ((uint64_t)(attr & 0xff) << 40) |
	       ((uint64_t)((attr >> 12) & 0xf) << 52);
}

static unsigned selector_index(uint16_t sel, const char *what)
{
	if (sel & 4)
		shim_fail("VP context: %s selector 0x%x points into an LDT", what, sel);
	if ((sel >> 3) >= SHIM_GDT_ENTRIES)
		shim_fail("VP context: %s selector 0x%x beyond the shim's %u-entry GDT", what, sel,
		          SHIM_GDT_ENTRIES);
	return sel >> 3;
}

static void prepare_segments(const IgvmNativeVpContextX64 *ctx)
{
	uint16_t cattr = ctx->code_attributes ? ctx->code_attributes : DEFAULT_CODE_ATTR;
	uint16_t dattr = ctx->data_attributes ? ctx->data_attributes : DEFAULT_DATA_ATTR;
	unsigned ci = selector_index(ctx->code_selector, "code");
	unsigned di = selector_index(ctx->data_selector, "data");

	if (ci == 0)
		shim_fail("VP context: code selector 0x%x is null", ctx->code_selector);
	if ((cattr & (ATTR_P | ATTR_S | ATTR_CODE)) != (ATTR_P | ATTR_S | ATTR_CODE) ||
	    !(cattr & ATTR_L) || (cattr & ATTR_DB))
		shim_fail("VP context: code attributes 0x%x are not a present 64-bit code segment",
		          cattr);
	if (di == ci)
		shim_fail("VP context: code and data selectors share GDT slot %u", ci);
	if (di != 0 && (dattr & (ATTR_P | ATTR_S | ATTR_CODE)) != (ATTR_P | ATTR_S))
		shim_fail("VP context: data attributes 0x%x are not a present data segment", dattr);
	memset(shim_gdt, 0, sizeof(shim_gdt));
	shim_gdt[ci] = descriptor(cattr);
	if (di != 0)
		shim_gdt[di] = descriptor(dattr);
	shim_gdtr.limit = sizeof(shim_gdt) - 1;
	shim_gdtr.base = (uint32_t)(uintptr_t)shim_gdt;
}

static void check_control(const IgvmNativeVpContextX64 *ctx)
{
	if (!(ctx->cr0 & CR0_PG) || !(ctx->cr0 & CR0_PE))
		shim_fail("VP context: CR0 0x%llx lacks PE/PG (only 64-bit contexts are supported)",
		          (unsigned long long)ctx->cr0);
	if (!(ctx->cr4 & CR4_PAE) || (ctx->cr4 & CR4_LA57))
		shim_fail("VP context: CR4 0x%llx: need PAE and 4-level paging",
		          (unsigned long long)ctx->cr4);
	if (!(ctx->efer & EFER_LME))
		shim_fail("VP context: EFER 0x%llx lacks LME", (unsigned long long)ctx->efer);
	if (ctx->cr3 >= 0x100000000ull || (ctx->cr3 & 0xfff))
		shim_fail("VP context: CR3 0x%llx must be page aligned and below 4 GiB",
		          (unsigned long long)ctx->cr3);
	/* Canonical: bits 63..47 all equal (4-level paging). */
	if ((uint64_t)((int64_t)(ctx->rip << 16) >> 16) != ctx->rip)
		shim_fail("VP context: RIP 0x%llx is not canonical", (unsigned long long)ctx->rip);
}

void enter_prepare(const IgvmNativeVpContextX64 *ctx)
{
	struct shim_handoff *h = &shim_handoff;

	check_control(ctx);
	prepare_segments(ctx);
	memset(h, 0, sizeof(*h));
	h->cr0 = ctx->cr0 | CR0_PE | CR0_PG;
	h->cr3 = ctx->cr3;
	/* entry.asm sets CR4.PCIDE only once in long mode, where it is allowed. */
	h->cr4 = ctx->cr4;
	h->efer = (ctx->efer | EFER_LME) & ~EFER_LMA;
	h->rflags = ctx->rflags | 0x2; /* bit 1 is always set */
	h->rip = ctx->rip;
	const uint64_t gpr[16] = {ctx->rax, ctx->rcx, ctx->rdx, ctx->rbx, ctx->rsp, ctx->rbp,
	                          ctx->rsi, ctx->rdi, ctx->r8,  ctx->r9,  ctx->r10, ctx->r11,
	                          ctx->r12, ctx->r13, ctx->r14, ctx->r15};
	memcpy(h->gpr, gpr, sizeof(h->gpr));
	h->gs_base = ctx->gs_base;
	h->code_selector = ctx->code_selector;
	h->data_selector = ctx->data_selector;
	h->gdtr_limit = ctx->gdtr_size;
	h->gdtr_base = ctx->gdtr_base;
	h->idtr_limit = ctx->idtr_size;
	h->idtr_base = ctx->idtr_base;
}

static SEV_VMSA snp_vmsa;

void enter_snp_vmsa32(const struct igvm_file *f)
{
	struct igvm_iter it;
	struct igvm_directive d;
	int found = 0;

	igvm_iter_init(&it, f);
	while (igvm_iter_next(&it, &d) == 1)
		if (d.type == IGVM_VHT_VP_CONTEXT && d.vp_platform == IGVM_PLATFORM_TYPE_SEV_SNP &&
		    d.u.vp.vp_index == 0) {
			memcpy(&snp_vmsa, d.data, sizeof(snp_vmsa));
			found = 1;
		}
	if (!found)
		shim_fail("keel-shim.entry=snp-stub: the IGVM file has no SEV-SNP VMSA for VP 0");
	const SEV_VMSA *v = &snp_vmsa;
	if ((v->cr0 != 0x31 && v->cr0 != 0x30) || (v->efer & 0x500) || (v->rip >> 32) ||
	    (v->rsp >> 32) || (v->cs.attrib & 0x600) != 0x400)
		shim_fail("keel-shim.entry=snp-stub: the VMSA is not in KVM's 32-bit reset state "
			  "(CR0 0x%llx EFER 0x%llx CS attrib 0x%x RIP 0x%llx)",
			  (unsigned long long)v->cr0, (unsigned long long)v->efer, v->cs.attrib,
			  (unsigned long long)v->rip);
	console_printf("keel-shim: entering the SEV-SNP VMSA in 32-bit protected mode, paging off: "
		       "RIP 0x%x RSP 0x%x CR0 0x%x\n",
		       (uint32_t)v->rip, (uint32_t)v->rsp, (uint32_t)v->cr0);
	__asm__ volatile("cli\n\tmov %0, %%esp\n\tjmp *%1"
			 :
			 : "r"((uint32_t)v->rsp), "r"((uint32_t)v->rip)
			 : "memory");
	__builtin_unreachable();
}
