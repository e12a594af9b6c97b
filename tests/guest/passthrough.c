/*
 * Mode "passthrough": TPM commands arrive on COM2 (polled 16550 at 0x2f8),
 * go through SVSM_VTPM_CMD, and the responses go back on COM2. Framing
 * (docs/guest.md, big-endian):
 *   request  u32 magic 'KTPM' | u8 locality | u32 size | command[size]
 *   response u32 size | response[size]
 * Locality 0xff with size 0 is the exit frame: the guest exits 0.
 */
#include "guest.h"

#define FRAME_MAGIC 0x4b54504du
#define EXIT_LOCALITY 0xffu
#define MAX_COMMAND (GUEST_PAGE - 9u)
#define TPM_RC_FAILURE 0x101u
#define TPM_RC_COMMAND_SIZE 0x142u

static uint8_t page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t cmd[GUEST_PAGE], rsp[GUEST_PAGE];

static uint32_t get_be32(void)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | com2_get();
	return v;
}

static void put_be32(uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		com2_put((uint8_t)(v >> (8 * i)));
}

/* Slide byte by byte until the magic: a stray byte costs a resync, not the link. */
static void sync_magic(void)
{
	uint32_t w = 0;
	unsigned skipped = 0;
	for (;;) {
		w = w << 8 | com2_get();
		if (w == FRAME_MAGIC)
			break;
		skipped++;
	}
	if (skipped > 3) {
		con_puts("[guest] passthrough: skipped ");
		con_dec(skipped - 3);
		con_puts(" bytes before a frame\n");
	}
}

static void send_tpm_error(uint32_t rc)
{
	const uint8_t e[10] = {0x80, 0x01, 0, 0, 0, 10, (uint8_t)(rc >> 24), (uint8_t)(rc >> 16),
			       (uint8_t)(rc >> 8), (uint8_t)rc};
	put_be32(sizeof(e));
	for (unsigned i = 0; i < sizeof(e); i++)
		com2_put(e[i]);
}

static void serve(uint8_t locality, uint32_t size)
{
	uint32_t n = 0;
	uint64_t rax = vtpm_cmd((uint64_t)page, locality, cmd, size, rsp, sizeof(rsp), &n);
	if (rax != 0) {
		con_puts("[guest] passthrough: SVSM_VTPM_CMD failed: ");
		con_hex(rax);
		con_puts("\n");
		send_tpm_error(TPM_RC_FAILURE);
		return;
	}
	put_be32(n);
	for (uint32_t i = 0; i < n; i++)
		com2_put(rsp[i]);
}

int passthrough(void)
{
	unsigned long served = 0;
	com2_init();
	con_puts("[guest] passthrough: serving TPM commands on COM2\n");
	for (;;) {
		sync_magic();
		uint8_t locality = com2_get();
		uint32_t size = get_be32();
		if (locality == EXIT_LOCALITY && size == 0)
			break;
		if (size > MAX_COMMAND) {
			for (uint32_t i = 0; i < size; i++)
				(void)com2_get();
			send_tpm_error(TPM_RC_COMMAND_SIZE);
			continue;
		}
		for (uint32_t i = 0; i < size; i++)
			cmd[i] = com2_get();
		serve(locality, size);
		served++;
	}
	con_puts("[guest] passthrough: exit frame after ");
	con_dec(served);
	con_puts(" commands\n");
	return 0;
}
