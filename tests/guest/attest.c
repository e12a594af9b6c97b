/*
 * Mode "attest" (docs/guest-attestation.md): SVSM protocol 1 as a guest
 * makes it. SERVICES and SINGLE_SERVICE(vTPM) with a request at 0x200000,
 * report at 0x201000, nonce at 0x202000, manifest at 0x203000 (the GPAs
 * of tests/hosted/guest-attest-hosted.sh), then refusals. Prints
 *   [guest] attest-ret call=N rax=A rcx=B rdx=C r8=D
 *   [guest] attest-nonce|attest-manifest|attest-report OFFSET HEX  (64 bytes a line)
 * for the host to check (GUIDs, REPORT_DATA, signature), and ok / not ok
 * lines for what the guest checks itself. Numbers repeated from the spec
 * on purpose.
 */
#include "guest.h"

#define ATTEST_PROTOCOL 1ull
#define REQ 0x200000ull
#define REPORT 0x201000ull
#define NONCE 0x202000ull
#define MANIFEST 0x203000ull
#define INVALID_PARAMETER 0x80000005ull
#define INVALID_ADDRESS 0x80000003ull
#define UNSUPPORTED_PROTOCOL 0x80000001ull
#define UNSUPPORTED_CALL 0x80000002ull

static const uint8_t vtpm_guid[16] = {0xeb, 0xf1, 0x76, 0xc4, 0x23, 0x01, 0xa5, 0x45,
                                      0x96, 0x41, 0xb4, 0xe7, 0xdd, 0xe5, 0xbf, 0xe3};
static const uint8_t manifest_guid[16] = {0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46,
                                          0xa1, 0xff, 0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb};
static unsigned failed;

static void put(uint64_t gpa, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		((volatile uint8_t *)gpa)[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(uint64_t gpa)
{
	const volatile uint8_t *p = (const volatile uint8_t *)gpa;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 0 if guest memory at gpa holds want[0..n). */
static int memcmp_v(uint64_t gpa, const uint8_t *want, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (((const volatile uint8_t *)gpa)[i] != want[i])
			return 1;
	return 0;
}

static void check(int good, const char *what)
{
	con_puts(good ? "[guest] ok - attest: " : "[guest] not ok - attest: ");
	con_puts(what);
	con_puts("\n");
	failed += !good;
}

/* The request: report, nonce, manifest sizes as given; no certificates. */
static void request(uint32_t rsize, uint16_t nsize, uint64_t nonce, uint32_t msize,
                    uint32_t version)
{
	memset((void *)REQ, 0, 0x58);
	put(REQ + 0x00, REPORT, 8);
	put(REQ + 0x08, rsize, 4);
	put(REQ + 0x10, nonce, 8);
	put(REQ + 0x18, nsize, 2);
	put(REQ + 0x20, MANIFEST, 8);
	put(REQ + 0x28, msize, 4);
	memcpy((void *)(REQ + 0x40), vtpm_guid, 16);
	put(REQ + 0x50, version, 4);
}

static struct svsm_call attest_call(uint32_t call)
{
	struct svsm_call c;
	memset(&c, 0, sizeof(c));
	c.rax = ATTEST_PROTOCOL << 32 | call;
	c.rcx = REQ;
	if (svsm_call(&c))
		c.rax = ~0ull;
	con_puts("[guest] attest-ret call=");
	con_dec(call);
	con_puts(" rax=");
	con_hex(c.rax);
	con_puts(" rcx=");
	con_hex(c.rcx);
	con_puts(" rdx=");
	con_hex(c.rdx);
	con_puts(" r8=");
	con_hex(c.r8);
	con_puts("\n");
	return c;
}

static void dump(const char *what, uint64_t gpa, uint64_t len)
{
	static const char digits[] = "0123456789abcdef";
	char pair[3] = {0, 0, 0};
	for (uint64_t off = 0; off < len; off += 64) {
		con_puts("[guest] attest-");
		con_puts(what);
		con_puts(" ");
		con_dec(off);
		con_puts(" ");
		for (uint64_t i = off; i < len && i < off + 64; i++) {
			uint8_t b = ((const volatile uint8_t *)gpa)[i];
			pair[0] = digits[b >> 4];
			pair[1] = digits[b & 15];
			con_puts(pair);
		}
		con_puts("\n");
	}
}

int guest_attest(void)
{
	for (unsigned i = 0; i < 64; i++)
		((volatile uint8_t *)NONCE)[i] = (uint8_t)(i * 11 + 5);
	dump("nonce", NONCE, 64);
	request(4096, 64, NONCE, 4096, 0);
	struct svsm_call c = attest_call(0);
	check(c.rax == 0 && c.rdx == 0 && c.r8 == 1184,
	      "SERVICES succeeds, report 1184 bytes, no certificates");
	check(c.rcx == get32(MANIFEST + 16), "SERVICES: RCX is the manifest's size field");
	check(!memcmp_v(MANIFEST, manifest_guid, 16), "SERVICES: services manifest GUID 63849ebb-...");
	check(get32(MANIFEST + 20) == 1 && !memcmp_v(MANIFEST + 24, vtpm_guid, 16),
	      "SERVICES: one entry, the vTPM c476f1eb-...");
	check(get32(MANIFEST + 44) == 314 && c.rcx == 48 + 314,
	      "SERVICES: vTPM data 314 bytes (RSA-2048 TPMT_PUBLIC)");
	if (c.rax == 0) {
		dump("manifest", MANIFEST, c.rcx);
		dump("report", REPORT, c.r8);
	}
	c = attest_call(1);
	check(c.rax == 0 && c.rcx == 314 && c.r8 == 1184,
	      "SINGLE_SERVICE(vTPM) succeeds, manifest 314 bytes");
	request(4096, 64, NONCE, 100, 0);
	c = attest_call(0);
	check(c.rax == INVALID_PARAMETER && c.rcx == 362 && c.r8 == 1184,
	      "manifest buffer too small: INVALID_PARAMETER with the sizes needed");
	request(4096, 32, NONCE, 4096, 0);
	check(attest_call(0).rax == INVALID_PARAMETER, "nonce of 32 bytes: INVALID_PARAMETER");
	request(4096, 64, guest_mem_top, 4096, 0);
	check(attest_call(0).rax == INVALID_ADDRESS, "nonce outside guest memory: INVALID_ADDRESS");
	request(4096, 64, NONCE, 4096, 1);
	check(attest_call(1).rax == INVALID_PARAMETER, "manifest version 1: INVALID_PARAMETER");
	request(4096, 64, NONCE, 4096, 0);
	put(REQ + 0x40, 0, 1);
	check(attest_call(1).rax == UNSUPPORTED_PROTOCOL, "unknown service GUID: UNSUPPORTED_PROTOCOL");
	check(attest_call(2).rax == UNSUPPORTED_CALL, "call 2: UNSUPPORTED_CALL");
	con_puts(failed ? "[guest] attest: FAILED\n" : "[guest] attest: PASSED\n");
	return failed ? 1 : 0;
}
