/*
 * Mode "uefi-bench [N]" (`make bench`): N SetVariable and then N
 * GetVariable calls of one small non-volatile variable, each in a 64 KiB
 * buffer as edk2 sends them, timed one by one with RDTSC; prints
 *   [guest] BENCH name=uefi_set calls=N median_cycles=C min_cycles=A max_cycles=B
 *   [guest] BENCH name=uefi_get ...
 * and exits 0 only if every call answered EFI_SUCCESS with the value the
 * last Set wrote. The layouts (edk2 SmmVariableCommon.h, packed) and
 * GUIDs are repeated from edk2 on purpose.
 */
#include "guest.h"

#define BENCH_BUF (64u * 1024u)
#define FN_GET 1u
#define FN_SET 3u
#define ATTR_NV_BS_RT 7u
#define OFF_FUNCTION 24u /* after the MM header (GUID, u64 MessageLength) */
#define OFF_STATUS 32u
#define OFF_ACCESS 40u  /* guid, u64 DataSize, u64 NameSize, u32 Attributes */
#define OFF_NAME 76u    /* OFF_ACCESS + 36 */
#define ACCESS_HDR 52u  /* function + status + access structure */

/* gEfiSmmVariableProtocolGuid ed32d533-99e6-4209-9cc0-2d72cdd998a7, wire order. */
static const uint8_t mm_variable_guid[16] = {0x33, 0xd5, 0x32, 0xed, 0xe6, 0x99, 0x09, 0x42,
					     0x9c, 0xc0, 0x2d, 0x72, 0xcd, 0xd9, 0x98, 0xa7};
/* The benchmark variable's vendor GUID (Keel's own, any fixed value will do). */
static const uint8_t bench_guid[16] = {0x4b, 0x45, 0x45, 0x4c, 0x42, 0x45, 0x4e, 0x43,
				       0x48, 0x00, 0x16, 0x16, 0x01, 0x02, 0x03, 0x04};
static const char bench_name[] = "KeelBench";

static uint64_t cycles[BENCH_MAX];

static void put64(uint32_t off, uint64_t v) { memcpy(uefi_buf + off, &v, 8); }
static void put32(uint32_t off, uint32_t v) { memcpy(uefi_buf + off, &v, 4); }
static uint64_t get64(uint32_t off)
{
	uint64_t v;
	memcpy(&v, uefi_buf + off, 8);
	return v;
}

/* One access-variable request: header, function, name; `data` (NULL: Get) follows the name. */
static uint32_t build(uint64_t function, const uint8_t *data, uint64_t data_size)
{
	uint64_t name_size = 2 * sizeof(bench_name); /* UCS-2, NUL included */
	memcpy(uefi_buf, mm_variable_guid, 16);
	put64(16, ACCESS_HDR + name_size + data_size);
	put64(OFF_FUNCTION, function);
	put64(OFF_STATUS, 0);
	memcpy(uefi_buf + OFF_ACCESS, bench_guid, 16);
	put64(OFF_ACCESS + 16, data_size);
	put64(OFF_ACCESS + 24, name_size);
	put32(OFF_ACCESS + 32, ATTR_NV_BS_RT);
	for (uint32_t i = 0; i < sizeof(bench_name); i++) {
		uefi_buf[OFF_NAME + 2 * i] = (uint8_t)bench_name[i];
		uefi_buf[OFF_NAME + 2 * i + 1] = 0;
	}
	uint32_t data_off = OFF_NAME + (uint32_t)name_size;
	if (data)
		memcpy(uefi_buf + data_off, data, data_size);
	return data_off;
}

static void report(const char *name, unsigned n)
{
	bench_report(name, cycles, n);
}

static int fail(const char *what, unsigned i, uint64_t rax, uint64_t status)
{
	con_puts("[guest] uefi-bench: FAIL ");
	con_puts(what);
	con_puts(" call ");
	con_dec(i);
	con_puts(": rax ");
	con_hex(rax);
	con_puts(", status ");
	con_hex(status);
	con_puts("\n");
	return 1;
}

int uefi_bench(const char *arg)
{
	unsigned n = bench_count(arg);
	uint64_t value = 0;
	con_puts("[guest] uefi-bench: ");
	con_dec(n);
	con_puts(" SetVariable and GetVariable calls, 64 KiB buffers\n");
	for (unsigned i = 0; i < n; i++) {
		value = 0x4b45454c00000000ull | i;
		memset(uefi_buf, 0, BENCH_BUF);
		build(FN_SET, (const uint8_t *)&value, sizeof(value));
		uint64_t t0 = rdtsc();
		uint64_t rax = uefi_mm_request(BENCH_BUF);
		cycles[i] = rdtsc() - t0;
		if (rax != 0 || get64(OFF_STATUS) != 0)
			return fail("SetVariable", i, rax, get64(OFF_STATUS));
	}
	report("uefi_set", n);
	for (unsigned i = 0; i < n; i++) {
		memset(uefi_buf, 0, BENCH_BUF);
		uint32_t data_off = build(FN_GET, NULL, BENCH_BUF - 24u - ACCESS_HDR - 2 * sizeof(bench_name));
		uint64_t t0 = rdtsc();
		uint64_t rax = uefi_mm_request(BENCH_BUF);
		cycles[i] = rdtsc() - t0;
		uint64_t got;
		memcpy(&got, uefi_buf + data_off, sizeof(got));
		if (rax != 0 || get64(OFF_STATUS) != 0 || get64(OFF_ACCESS + 16) != sizeof(value) || got != value)
			return fail("GetVariable", i, rax, get64(OFF_STATUS));
	}
	report("uefi_get", n);
	return 0;
}
