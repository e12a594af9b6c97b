/* igvm-dump: VP context register listings (native x64 and SEV VMSA). */
#include <stdio.h>
#include <string.h>

#include "dump.h"

#define R(name) printf("      %-8s %#018llx\n", #name, (unsigned long long)c.name)

void dump_native_context(const uint8_t *data)
{
	IgvmNativeVpContextX64 c;

	memcpy(&c, data, sizeof(c));
	R(rax); R(rcx); R(rdx); R(rbx); R(rsp); R(rbp); R(rsi); R(rdi);
	R(r8); R(r9); R(r10); R(r11); R(r12); R(r13); R(r14); R(r15);
	R(rip); R(rflags); R(cr0); R(cr3); R(cr4); R(efer); R(gs_base);
	printf("      idtr     base %#llx size %#x\n", (unsigned long long)c.idtr_base,
	       c.idtr_size);
	printf("      gdtr     base %#llx size %#x\n", (unsigned long long)c.gdtr_base,
	       c.gdtr_size);
	printf("      cs       sel %#x attr %#x base %#x limit %#x\n", c.code_selector,
	       c.code_attributes, c.code_base, c.code_limit);
	printf("      ds..gs   sel %#x attr %#x base %#x limit %#x\n", c.data_selector,
	       c.data_attributes, c.data_base, c.data_limit);
}

static void seg(const char *name, const SEV_SELECTOR *s)
{
	printf("      %-8s sel %#x attrib %#x limit %#x base %#llx\n", name, s->selector,
	       s->attrib, s->limit, (unsigned long long)s->base);
}

void dump_vmsa(const uint8_t *data)
{
	SEV_VMSA c;

	memcpy(&c, data, sizeof(c));
	seg("cs", &c.cs); seg("ds", &c.ds); seg("ss", &c.ss); seg("es", &c.es);
	seg("fs", &c.fs); seg("gs", &c.gs); seg("gdtr", &c.gdtr); seg("idtr", &c.idtr);
	seg("ldtr", &c.ldtr); seg("tr", &c.tr);
	R(rax); R(rcx); R(rdx); R(rbx); R(rsp); R(rbp); R(rsi); R(rdi);
	R(r8); R(r9); R(r10); R(r11); R(r12); R(r13); R(r14); R(r15);
	R(rip); R(rflags); R(cr0); R(cr3); R(cr4); R(efer); R(pat); R(xcr0);
	R(sev_features);
	printf("      vmpl     %u cpl %u mxcsr %#x fcw %#x\n", c.vmpl, c.cpl, c.mxcsr, c.x87_fcw);
}
