/*
 * Mode "uefi-passthrough": edk2 MM communicate buffers arrive on COM2,
 * go to the UEFI variable service through SVSM_UEFI_MM_REQUEST, and the
 * buffer after the call goes back on COM2 (tests/hosted/uefi_mm.py is
 * the host side). Frames, little-endian:
 *   host -> guest  u32 magic 'KMMQ' (0x514d4d4b) | u32 bufsize | u32 n | n bytes
 *   guest -> host  u32 magic 'KMMP' (0x504d4d4b) | u32 rax | u32 m | m bytes
 * The guest zeroes a page-aligned buffer of bufsize bytes (24..256 KiB),
 * copies the n bytes to its start, calls with RCX = its address and
 * RDX = bufsize, and sends back m = min(bufsize, 24 + MessageLength)
 * bytes of it (MessageLength: the u64 at offset 16, read after the call);
 * rax is the low 32 bits of the SVSM result. bufsize 0 is the exit frame:
 * the guest exits 0. bufsize 1..23 is still called (the router must
 * refuse it); bufsize above 256 KiB or n above bufsize cannot be served:
 * the n bytes are read and dropped, the answer is rax 0xffffffff, m 0.
 */
#include "guest.h"

#define REQ_MAGIC 0x514d4d4bu
#define RSP_MAGIC 0x504d4d4bu
#define MM_HEADER 24u
#define NOT_CALLED 0xffffffffu

static uint32_t get_le32(void)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)com2_get() << (8 * i);
	return v;
}

/* Slide byte by byte until the magic: a stray byte costs a resync, not the link. */
static void sync_magic(void)
{
	uint32_t w = 0;
	unsigned long skipped = 0;
	for (;;) {
		w = w >> 8 | (uint32_t)com2_get() << 24;
		if (w == REQ_MAGIC)
			break;
		skipped++;
	}
	if (skipped > 3) {
		con_puts("[guest] uefi-passthrough: skipped ");
		con_dec(skipped - 3);
		con_puts(" bytes before a frame\n");
	}
}

/* Zero in 8-byte stores: a 256 KiB buffer byte by byte is slow under TCG. */
static void zero_buf(uint64_t size)
{
	volatile uint64_t *q = (volatile uint64_t *)uefi_buf;
	for (uint64_t i = 0; i < (size + 7) / 8; i++)
		q[i] = 0;
}

static void answer(uint32_t rax, const uint8_t *p, uint32_t m)
{
	const uint32_t h[3] = {RSP_MAGIC, rax, m}; /* little-endian, as x86 stores them */
	com2_write((const uint8_t *)h, sizeof(h));
	com2_write(p, m);
}

static void serve(uint32_t bufsize, uint32_t n)
{
	if (bufsize > UEFI_BUF_MAX || n > bufsize) {
		for (uint32_t i = 0; i < n; i++)
			(void)com2_get();
		con_puts("[guest] uefi-passthrough: frame not served: bufsize ");
		con_dec(bufsize);
		con_puts(", n ");
		con_dec(n);
		con_puts("\n");
		answer(NOT_CALLED, uefi_buf, 0);
		return;
	}
	zero_buf(bufsize);
	for (uint32_t i = 0; i < n; i++)
		uefi_buf[i] = com2_get();
	uint64_t rax = uefi_mm_request(bufsize);
	uint64_t len;
	memcpy(&len, uefi_buf + 16, sizeof(len));
	uint32_t m = bufsize;
	if (bufsize >= MM_HEADER && len <= bufsize - MM_HEADER)
		m = MM_HEADER + (uint32_t)len;
	answer((uint32_t)rax, uefi_buf, m);
}

/* Core QUERY_PROTOCOL (protocol 0, call 6) for protocol 4 version 1: the host checks the line. */
static void query_protocol(void)
{
	struct svsm_call c;
	memset(&c, 0, sizeof(c));
	c.rax = 6;
	c.rcx = 4ull << 32 | 1;
	int rc = svsm_call(&c);
	con_puts("[guest] uefi-passthrough: QUERY_PROTOCOL(4, 1) rax=");
	con_hex(rc ? ~0ull : c.rax);
	con_puts(" rcx=");
	con_hex(c.rcx);
	con_puts("\n");
}

int uefi_passthrough(void)
{
	unsigned long served = 0;
	query_protocol();
	com2_init();
	con_puts("[guest] uefi-passthrough: serving MM buffers on COM2\n");
	for (;;) {
		sync_magic();
		uint32_t bufsize = get_le32();
		uint32_t n = get_le32();
		if (bufsize == 0)
			break;
		serve(bufsize, n);
		served++;
	}
	con_puts("[guest] uefi-passthrough: exit frame after ");
	con_dec(served);
	con_puts(" requests\n");
	return 0;
}
