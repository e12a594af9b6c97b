/*
 * SVSM_UEFI_MM_REQUEST as a guest makes it (the issue 16 contract;
 * OVMF's SVSM MM transport does the same): SVSM protocol 4, call 1,
 * RCX = guest address of a page-aligned buffer holding an edk2 MM
 * communicate buffer, RDX = its size (24 bytes to 256 KiB). The numbers
 * are repeated here on purpose (the guest shares no code with the SVSM).
 */
#include "guest.h"

#define UEFI_PROTOCOL 4ull
#define UEFI_CALL_MM_REQUEST 1ull

uint8_t uefi_buf[UEFI_BUF_MAX] __attribute__((aligned(GUEST_PAGE)));

uint64_t uefi_mm_request(uint64_t size)
{
	struct svsm_call c;
	memset(&c, 0, sizeof(c));
	c.rax = UEFI_PROTOCOL << 32 | UEFI_CALL_MM_REQUEST;
	c.rcx = (uint64_t)uefi_buf;
	c.rdx = size;
	if (svsm_call(&c))
		return ~0ull;
	return c.rax;
}
