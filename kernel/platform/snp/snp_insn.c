#include "platform/snp/snp_insn.h"

uint32_t snp_pvalidate(uint64_t va, unsigned page_size, int validate)
{
	uint32_t rc;
	uint8_t cf;
	/* PVALIDATE: F2 0F 01 FF; RAX = VA, ECX = page size, EDX = validate. */
	__asm__ volatile(".byte 0xf2, 0x0f, 0x01, 0xff\n\tsetc %1"
			 : "=a"(rc), "=qm"(cf)
			 : "a"(va), "c"((uint64_t)page_size), "d"((uint64_t)(validate ? 1 : 0))
			 : "memory", "cc");
	return cf ? SNP_RET_NO_UPDATE : rc;
}

uint32_t snp_rmpadjust(uint64_t va, unsigned page_size, uint64_t attrs)
{
	uint32_t rc;
	/* RMPADJUST: F3 0F 01 FE; RAX = VA, RCX = page size, RDX = attributes. */
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xfe"
			 : "=a"(rc)
			 : "a"(va), "c"((uint64_t)page_size), "d"(attrs)
			 : "memory", "cc");
	return rc;
}
