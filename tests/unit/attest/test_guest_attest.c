/*
 * SVSM protocol 1 end to end on the host: a guest's request structure in
 * fake guest memory, the kernel router's rcx-desc rules, attest-bridge's
 * guest attestation, fakes for the vtpm and the platform report
 * (guest_harness.c). Sizes, the manifest's GUIDs and layout, REPORT_DATA =
 * SHA-512(nonce || manifest), too-small buffers, bad GPAs, hostile
 * structures and malformed router messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include <keel/svsm.h>

#include "../../../apps/attest-bridge/guest_attest.h"
#include "../../../apps/attest-bridge/guest_proto.h"
#include "guest_harness.h"

#define OP 0x100u /* the structure's offset in guest memory */
#define REPORT 0x1000u
#define NONCE 0x3000u
#define MANIFEST 0x4000u
#define CERTS 0x6000u

static const uint8_t manifest_guid[16] = ATTEST_GUID_SERVICES_MANIFEST;
static const uint8_t vtpm_guid[16] = ATTEST_GUID_VTPM;

static void pair(unsigned off, uint64_t gpa, uint32_t size)
{
	memcpy(h_gmem + OP + off, &gpa, 8);
	memcpy(h_gmem + OP + off + 8, &size, 4);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* A good request: report and manifest a page each, a 64-byte nonce, no certificates. */
static int setup(void **state)
{
	(void)state;
	assert_int_equal(h_setup(), 0);
	memset(h_gmem, 0x77, sizeof(h_gmem));
	memset(h_gmem + OP, 0, ATTEST_SINGLE_OP_SIZE);
	pair(ATTEST_OFF_REPORT, H_GBASE + REPORT, 4096);
	pair(ATTEST_OFF_NONCE, H_GBASE + NONCE, 64);
	pair(ATTEST_OFF_MANIFEST, H_GBASE + MANIFEST, 4096);
	pair(ATTEST_OFF_CERTS, 0, 0);
	memcpy(h_gmem + OP + ATTEST_OFF_GUID, vtpm_guid, 16);
	for (unsigned i = 0; i < 64; i++)
		h_gmem[NONCE + i] = (uint8_t)(i * 7 + 1);
	return 0;
}

/* REPORT_DATA of the report in guest memory is SHA-512(nonce || manifest in guest memory). */
static void check_binding(size_t mlen)
{
	uint8_t want[64];
	SHA512_CTX c;
	SHA512_Init(&c);
	SHA512_Update(&c, h_gmem + NONCE, 64);
	SHA512_Update(&c, h_gmem + MANIFEST, mlen);
	SHA512_Final(want, &c);
	assert_memory_equal(h_gmem + REPORT + 0x50, want, 64);
}

static void services(void **state)
{
	(void)state;
	struct svsm_regs r = h_call(SVSM_ATTEST_SERVICES, H_GBASE + OP);
	size_t mlen = 48 + h_ekpub_len;
	assert_int_equal(r.rax, SVSM_SUCCESS);
	assert_int_equal(r.rcx, mlen);
	assert_int_equal(r.rdx, 0);
	assert_int_equal(r.r8, ATTEST_REPORT_SIZE);
	const uint8_t *m = h_gmem + MANIFEST;
	assert_memory_equal(m, manifest_guid, 16);
	assert_int_equal(rd32(m + 16), mlen);
	assert_int_equal(rd32(m + 20), 1);
	assert_memory_equal(m + 24, vtpm_guid, 16);
	assert_int_equal(rd32(m + 40), 48);
	assert_int_equal(rd32(m + 44), h_ekpub_len);
	assert_memory_equal(m + 48, h_ekpub, h_ekpub_len);
	assert_int_equal(m[mlen], 0x77); /* nothing past the manifest */
	assert_int_equal(h_gmem[REPORT + ATTEST_REPORT_SIZE], 0x77);
	assert_int_equal(h_gmem[NONCE], 1); /* the nonce is not written */
	assert_int_equal(rd32(h_gmem + OP + 8), 4096); /* nor the structure */
	check_binding(mlen);
	/* the GUID strings of the spec and COCONUT-SVSM, mixed-endian */
	assert_int_equal(rd32(manifest_guid), 0x63849ebb);
	assert_int_equal(rd32(vtpm_guid), 0xc476f1eb);
}

static void single_service(void **state)
{
	(void)state;
	struct svsm_regs r = h_call(SVSM_ATTEST_SINGLE_SERVICE, H_GBASE + OP);
	assert_int_equal(r.rax, SVSM_SUCCESS);
	assert_int_equal(r.rcx, h_ekpub_len);
	assert_int_equal(r.r8, ATTEST_REPORT_SIZE);
	assert_memory_equal(h_gmem + MANIFEST, h_ekpub, h_ekpub_len);
	check_binding(h_ekpub_len);
}

/* Too small: SVSM_ERR_INVALID_PARAMETER, RCX / R8 the sizes needed, nothing written. */
static void too_small(void **state)
{
	(void)state;
	pair(ATTEST_OFF_MANIFEST, H_GBASE + MANIFEST, 48);
	struct svsm_regs r = h_call(SVSM_ATTEST_SERVICES, H_GBASE + OP);
	assert_int_equal(r.rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(r.rcx, 48 + h_ekpub_len);
	assert_int_equal(r.r8, ATTEST_REPORT_SIZE);
	assert_int_equal(h_gmem[MANIFEST], 0x77);
	assert_int_equal(h_gmem[REPORT], 0x77);
	pair(ATTEST_OFF_MANIFEST, H_GBASE + MANIFEST, 4096);
	pair(ATTEST_OFF_REPORT, H_GBASE + REPORT, ATTEST_REPORT_SIZE - 1);
	r = h_call(SVSM_ATTEST_SINGLE_SERVICE, H_GBASE + OP);
	assert_int_equal(r.rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(r.r8, ATTEST_REPORT_SIZE);
	assert_int_equal(h_gmem[REPORT], 0x77);
	pair(ATTEST_OFF_REPORT, H_GBASE + REPORT, ATTEST_REPORT_SIZE); /* exactly: fine */
	assert_int_equal(h_call(SVSM_ATTEST_SINGLE_SERVICE, H_GBASE + OP).rax, SVSM_SUCCESS);
}

/* Each bad request, and the error the guest gets; none reaches the platform. */
static void bad_requests(void **state)
{
	(void)state;
	struct {
		unsigned off;
		uint64_t gpa;
		uint32_t size;
		uint32_t want;
	} bad[] = {
	    {ATTEST_OFF_NONCE, H_GBASE + NONCE, 32, SVSM_ERR_INVALID_PARAMETER},       /* nonce size */
	    /* crosses a page */
	    {ATTEST_OFF_NONCE, H_GBASE + NONCE + 4064, 64, SVSM_ERR_INVALID_PARAMETER},
	    {ATTEST_OFF_REPORT, H_GBASE + REPORT + 8, 4096, SVSM_ERR_INVALID_PARAMETER}, /* unaligned */
	    {ATTEST_OFF_MANIFEST, H_GBASE + MANIFEST + 16, 64, SVSM_ERR_INVALID_PARAMETER},
	    {ATTEST_OFF_MANIFEST, H_GBASE + REPORT, 4096, SVSM_ERR_INVALID_PARAMETER}, /* overlap */
	    {ATTEST_OFF_REPORT, H_GBASE + H_GSIZE, 4096, SVSM_ERR_INVALID_ADDRESS},    /* past RAM */
	    {ATTEST_OFF_REPORT, 0xfee00000ull, 4096, SVSM_ERR_INVALID_ADDRESS},        /* not RAM */
	    {ATTEST_OFF_NONCE, ~0ull - 31, 64, SVSM_ERR_INVALID_ADDRESS},              /* wraps */
	    {ATTEST_OFF_CERTS, H_GBASE + CERTS, 0xffffffffu, SVSM_ERR_INVALID_PARAMETER}, /* huge */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(0);
		pair(bad[i].off, bad[i].gpa, bad[i].size);
		struct svsm_regs r = h_call(SVSM_ATTEST_SERVICES, H_GBASE + OP);
		if (r.rax != bad[i].want)
			print_error("case %u: rax 0x%llx\n", i, (unsigned long long)r.rax);
		assert_int_equal(r.rax, bad[i].want);
		assert_int_equal(r.rdx, 0x1d1d); /* registers untouched */
		assert_int_equal(h_gmem[REPORT], 0x77);
	}
	setup(0);
	h_gmem[OP + 0x0c] = 1; /* reserved */
	assert_int_equal(h_call(0, H_GBASE + OP).rax, SVSM_ERR_INVALID_PARAMETER);
	setup(0);
	h_gmem[OP + 0x1a] = 1; /* reserved after the u16 nonce size */
	assert_int_equal(h_call(0, H_GBASE + OP).rax, SVSM_ERR_INVALID_PARAMETER);
	setup(0);
	h_gmem[OP + 0x54] = 1;
	assert_int_equal(h_call(1, H_GBASE + OP).rax, SVSM_ERR_INVALID_PARAMETER);
	setup(0);
	h_gmem[OP + ATTEST_OFF_MANIFEST_VER] = 1; /* manifest version 0 only */
	assert_int_equal(h_call(1, H_GBASE + OP).rax, SVSM_ERR_INVALID_PARAMETER);
	setup(0);
	h_gmem[OP + ATTEST_OFF_GUID] ^= 1; /* an unknown service */
	assert_int_equal(h_call(1, H_GBASE + OP).rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
	assert_int_equal(h_call(0, H_GBASE + OP).rax, SVSM_SUCCESS); /* SERVICES ignores it */
	assert_int_equal(h_call(2, H_GBASE + OP).rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(h_call(0, H_GBASE + H_GSIZE - 32).rax, SVSM_ERR_INVALID_ADDRESS);
	assert_int_equal(h_call(0, 0).rax, SVSM_ERR_INVALID_ADDRESS);
	setup(0); /* the structure inside a buffer it names */
	memcpy(h_gmem + REPORT + 64, h_gmem + OP, ATTEST_SERVICES_OP_SIZE);
	assert_int_equal(h_call(0, H_GBASE + REPORT + 64).rax, SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(h_service_calls, 0);
}

/* No vtpm: SERVICES lists nothing, SINGLE_SERVICE(vTPM) has no such service. */
static void no_vtpm(void **state)
{
	(void)state;
	for (int mode = 1; mode <= 2; mode++) { /* an error reply; the channel gone */
		setup(0);
		h_vtpm_mode = mode;
		struct svsm_regs r = h_call(SVSM_ATTEST_SERVICES, H_GBASE + OP);
		assert_int_equal(r.rax, SVSM_SUCCESS);
		assert_int_equal(r.rcx, 24);
		assert_int_equal(rd32(h_gmem + MANIFEST + 20), 0);
		check_binding(24);
		assert_int_equal(h_call(1, H_GBASE + OP).rax, SVSM_ERR_UNSUPPORTED_PROTOCOL);
	}
}

static void no_report(void **state)
{
	(void)state;
	h_report_mode = 1;
	struct svsm_regs r = h_call(SVSM_ATTEST_SERVICES, H_GBASE + OP);
	assert_int_equal(r.rax, SVSM_ERR_UNSUPPORTED_CALL);
	assert_int_equal(h_gmem[MANIFEST], 0x77);
}

/* Messages no router sends: answered SVSM_ERR_INVALID_REQUEST, never a crash. */
static void malformed_messages(void **state)
{
	(void)state;
	static uint8_t req[256], rsp[4096];
	struct keel_svsm_call c = {{KEEL_OP_SVSM_CALL, 40}, 0, 0, 0, 0, 0, 0};
	struct keel_svsm_result *r = (struct keel_svsm_result *)rsp;
	assert_int_equal(attest_guest_handle(req, 10, rsp, sizeof(rsp)), sizeof(*r));
	assert_int_equal(r->rax, SVSM_ERR_INVALID_REQUEST);
	assert_int_equal(attest_guest_handle(req, 48, rsp, 47), 0);
	memcpy(req, &c, sizeof(c)); /* call 0, no buffer: not the rcx-desc layout */
	assert_int_equal(attest_guest_handle(req, 48, rsp, sizeof(rsp)), sizeof(*r));
	assert_int_equal(r->rax, SVSM_ERR_INVALID_REQUEST);
	c.buf_len = 64; /* the structure, but its sizes promise buffers that are not there */
	c.hdr.len = 40 + 64;
	memcpy(req, &c, sizeof(c));
	memset(req + 48, 0, 64);
	req[48 + 8] = 1;
	assert_int_equal(attest_guest_handle(req, 112, rsp, sizeof(rsp)), sizeof(*r));
	assert_int_equal(r->rax, SVSM_ERR_INVALID_REQUEST);
	c.hdr.op = 99;
	memcpy(req, &c, sizeof(c));
	attest_guest_handle(req, 112, rsp, sizeof(rsp));
	assert_int_equal(r->rax, SVSM_ERR_INVALID_REQUEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(services, setup),
	    cmocka_unit_test_setup(single_service, setup),
	    cmocka_unit_test_setup(too_small, setup),
	    cmocka_unit_test_setup(bad_requests, setup),
	    cmocka_unit_test_setup(no_vtpm, setup),
	    cmocka_unit_test_setup(no_report, setup),
	    cmocka_unit_test_setup(malformed_messages, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
