/*
 * SEV-SNP instructions (AMD APM Vol. 3): PVALIDATE and RMPADJUST, and the
 * SVSM calling area (SVSM spec #58019 §4.2). Compiled on every build;
 * executed only on SNP hardware.
 */
#ifndef KEEL_SNP_INSN_H
#define KEEL_SNP_INSN_H

#include <stdint.h>

#define SNP_PAGE_4K 0u
#define SNP_PAGE_2M 1u
#define PVALIDATE_FAIL_SIZEMISMATCH 6u
#define SNP_RET_NO_UPDATE 0x100u /* PVALIDATE: CF=1, RMP entry unchanged */

/* RMPADJUST attributes (RDX): target VMPL in 7:0, permission mask in 15:8, VMSA in bit 16. */
#define RMPADJUST_VMPL(v) ((uint64_t)(v) & 0xff)
#define RMPADJUST_PERM_READ (1ull << 8)
#define RMPADJUST_PERM_WRITE (1ull << 9)
#define RMPADJUST_PERM_EXEC_USER (1ull << 10)
#define RMPADJUST_PERM_EXEC_SUPER (1ull << 11)
#define RMPADJUST_VMSA (1ull << 16)

struct svsm_calling_area {
	uint8_t call_pending;
	uint8_t mem_available;
	uint8_t reserved[6];
	uint8_t buffer[4088];
};
_Static_assert(sizeof(struct svsm_calling_area) == 4096, "SVSM calling area is one page");

/* EAX result, or SNP_RET_NO_UPDATE when the instruction set CF. */
uint32_t snp_pvalidate(uint64_t va, unsigned page_size, int validate);
uint32_t snp_rmpadjust(uint64_t va, unsigned page_size, uint64_t attrs);

#endif
