/*
 * SVSM_VTPM_CMD (SVSM spec, vTPM protocol): one page, request
 * {u32 cmd = 8 (TPM_SEND_COMMAND); u8 locality; u32 size; command},
 * response {u32 size; response}, little-endian, packed.
 */
#include "guest.h"

#define SVSM_VTPM_PROTOCOL 2ull
#define SVSM_VTPM_CMD 1ull
#define TPM_SEND_COMMAND 8u
#define REQ_HEADER 9u
#define RSP_HEADER 4u

static void put_le32(volatile uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t vtpm_cmd(uint64_t page_gpa, uint8_t locality, const uint8_t *cmd, uint32_t size, uint8_t *rsp,
		  uint32_t cap, uint32_t *rsp_len)
{
	volatile uint8_t *page = (volatile uint8_t *)page_gpa;
	struct svsm_call c = {.rax = SVSM_VTPM_PROTOCOL << 32 | SVSM_VTPM_CMD, .rcx = page_gpa};
	*rsp_len = 0;
	if (page_gpa >= GUEST_MEM_BASE && page_gpa + GUEST_PAGE <= guest_mem_top && page_gpa % 8 == 0) {
		put_le32(page, TPM_SEND_COMMAND);
		page[4] = locality;
		put_le32(page + 5, size);
		for (uint32_t i = 0; i < size && REQ_HEADER + i < GUEST_PAGE; i++)
			page[REQ_HEADER + i] = cmd[i];
	}
	if (svsm_call(&c))
		return ~0ull; /* the VMPL switch itself failed */
	if (c.rax != 0)
		return c.rax;
	uint32_t n = get_le32(page);
	if (n > cap || n > GUEST_PAGE - RSP_HEADER)
		return ~0ull - 1;
	for (uint32_t i = 0; i < n; i++)
		rsp[i] = page[RSP_HEADER + i];
	*rsp_len = n;
	return 0;
}
