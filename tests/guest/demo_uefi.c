/*
 * The demo's UEFI variable step (mode "demo", `make run`): what firmware
 * does with its variable store, through SVSM protocol 4 as OVMF sends it
 * (a 64 KiB edk2 MM communicate buffer). Reads the non-volatile variable
 * KeelDemoBoots, adds one and writes it back, then reads it again: on
 * the first boot of a state disk it is 1, on the next 2, and so on, since
 * uefivars commits every non-volatile write through storaged before it
 * answers. The layouts are repeated from edk2 on purpose (the guest
 * shares no code with the SVSM).
 */
#include "guest.h"

#define MM_BUFFER 65536u
#define FN_GET 1u
#define FN_SET 3u
#define EFI_NOT_FOUND 0x800000000000000eull
#define ATTRS 7u /* NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */

/* gEfiSmmVariableProtocolGuid ed32d533-99e6-4209-9cc0-2d72cdd998a7, wire order. */
static const uint8_t mm_var_guid[16] = {0x33, 0xd5, 0x32, 0xed, 0xe6, 0x99, 0x09, 0x42,
                                        0x9c, 0xc0, 0x2d, 0x72, 0xcd, 0xd9, 0x98, 0xa7};
/* The demo's vendor GUID 4b65656c-4465-6d6f-8000-000000000016 ("KeelDemo"). */
static const uint8_t demo_guid[16] = {0x6c, 0x65, 0x65, 0x4b, 0x65, 0x44, 0x6f, 0x6d,
                                      0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16};
static const char name[] = "KeelDemoBoots";

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * Frames one access-variable request (Get or Set) with `size` data bytes
 * of room and sends it; the SVSM result in *svsm, the EFI status returned.
 * Layout: header GUID, MessageLength, {function, status}, then
 * {guid, DataSize, NameSize, Attributes, Name, Data} packed (name at 36).
 */
static uint64_t access(uint64_t fn, uint32_t value, uint64_t *svsm, uint32_t *out)
{
	uint8_t *b = uefi_buf, *a = uefi_buf + 40;
	uint64_t name_size = 2 * sizeof(name), i;
	memset(b, 0, MM_BUFFER);
	memcpy(b, mm_var_guid, 16);
	put64(b + 16, 16 + 36 + name_size + 4); /* what the message needs, as edk2 sizes it */
	put64(b + 24, fn);
	memcpy(a, demo_guid, 16);
	put64(a + 16, 4);
	put64(a + 24, name_size);
	if (fn == FN_SET)
		a[32] = ATTRS;
	for (i = 0; i < sizeof(name); i++)
		a[36 + 2 * i] = (uint8_t)name[i]; /* UCS-2, the NUL included */
	for (i = 0; i < 4; i++)
		a[36 + name_size + i] = (uint8_t)(value >> (8 * i));
	*svsm = uefi_mm_request(MM_BUFFER);
	*out = (uint32_t)a[36 + name_size] | (uint32_t)a[37 + name_size] << 8 |
	       (uint32_t)a[38 + name_size] << 16 | (uint32_t)a[39 + name_size] << 24;
	return get64(b + 32);
}

/* Returns the number of failed steps (0 or 1). */
unsigned demo_uefi(void)
{
	uint64_t svsm, st;
	uint32_t boots = 0, again = 0;
	st = access(FN_GET, 0, &svsm, &boots);
	if (svsm || (st && st != EFI_NOT_FOUND))
		goto failed;
	if (st == EFI_NOT_FOUND)
		boots = 0;
	boots++;
	st = access(FN_SET, boots, &svsm, &again);
	if (svsm || st)
		goto failed;
	st = access(FN_GET, 0, &svsm, &again);
	if (svsm || st || again != boots)
		goto failed;
	con_puts("[guest] demo: UEFI variable KeelDemoBoots (NV, SVSM protocol 4, 64 KiB MM buffer): ");
	con_dec(boots);
	con_puts(boots == 1 ? " (first boot of this state)\n" : " (kept across reboots)\n");
	return 0;
failed:
	con_puts("[guest] demo: UEFI variable KeelDemoBoots FAILED: SVSM ");
	con_hex(svsm);
	con_puts(" EFI status ");
	con_hex(st);
	con_puts("\n");
	return 1;
}
