/* igvm_parse against files from an independent writer (the igvm crate's
 * rules, docs/igvm.md); test_igvm_parse.c covers files from loader/igvm's
 * own writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "igvm_parse.h"
#include "igvm_test_util.h"

/*
 * Files from an independent writer: byte by byte, with its own CRC32 and
 * none of loader/igvm's writer, so a bug shared by igvm_write and
 * igvm_parse cannot hide. Each test breaks one rule the igvm crate
 * (microsoft/igvm, IgvmFile::new_from_binary) enforces; docs/igvm.md lists
 * them.
 */
#define IW_DATA 0x2000u /* file data starts here unless a test says otherwise */

struct iw {
	uint8_t h[0x1800];
	uint32_t hlen;
	uint8_t d[0x4000];
	uint32_t dlen;
};

static uint32_t iw_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void iw_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void iw_hdr(struct iw *b, uint32_t type, const void *body, uint32_t len)
{
	assert_true(b->hlen + 8 + len + 8 <= sizeof(b->h));
	iw_put32(b->h + b->hlen, type);
	iw_put32(b->h + b->hlen + 4, len);
	memcpy(b->h + b->hlen + 8, body, len);
	b->hlen += (8 + len + 7) & ~7u; /* padding stays zero */
}

/* Append file data; returns its absolute file offset. */
static uint32_t iw_data(struct iw *b, const void *p, uint32_t n)
{
	uint32_t off = IW_DATA + b->dlen;
	assert_true(b->dlen + n <= sizeof(b->d));
	memcpy(b->d + b->dlen, p, n);
	b->dlen += n;
	return off;
}

/* The file, with vh_size and data start overridable (0: the defaults). */
static uint8_t *iw_file_ex(struct iw *b, size_t *len, uint32_t vh_size, uint32_t data_start)
{
	if (!vh_size)
		vh_size = b->hlen;
	if (!data_start)
		data_start = IW_DATA;
	size_t total = data_start + b->dlen;
	uint8_t *f = calloc(1, total + 0x2000);
	assert_non_null(f);
	memcpy(f + 24, b->h, b->hlen);
	memcpy(f + data_start, b->d, b->dlen);
	iw_put32(f, 0x4D564749u);
	iw_put32(f + 4, 1);
	iw_put32(f + 8, 24);
	iw_put32(f + 12, vh_size);
	iw_put32(f + 16, (uint32_t)total);
	iw_put32(f + 20, 0);
	iw_put32(f + 20, iw_crc32(iw_crc32(0, f, 24), f + 24, vh_size));
	*len = total;
	return f;
}

static uint8_t *iw_file(struct iw *b, size_t *len) { return iw_file_ex(b, len, 0, 0); }

static void iw_platform(struct iw *b, uint32_t mask, uint8_t type, uint8_t vtl, uint16_t version,
			uint64_t boundary)
{
	uint8_t p[16] = { 0 };
	iw_put32(p, mask);
	p[4] = vtl;
	p[5] = type;
	memcpy(p + 6, &version, 2);
	memcpy(p + 8, &boundary, 8);
	iw_hdr(b, 0x001, p, 16);
}

/* NATIVE mask 1 and SEV_SNP mask 2, both valid. */
static void iw_base(struct iw *b)
{
	memset(b, 0, sizeof(*b));
	iw_platform(b, 1, 0, 0, 1, 0);
	iw_platform(b, 2, 2, 0, 1, 0);
}

static void iw_page(struct iw *b, uint64_t gpa, uint32_t mask, uint32_t file_offset,
		    uint32_t flags, uint16_t type, uint16_t reserved)
{
	uint8_t p[24];
	memcpy(p, &gpa, 8);
	iw_put32(p + 8, mask);
	iw_put32(p + 12, file_offset);
	iw_put32(p + 16, flags);
	memcpy(p + 20, &type, 2);
	memcpy(p + 22, &reserved, 2);
	iw_hdr(b, 0x302, p, 24);
}

static void iw_vp(struct iw *b, uint64_t gpa, uint32_t mask, uint32_t file_offset, uint16_t vp)
{
	uint8_t p[20] = { 0 };
	memcpy(p, &gpa, 8);
	iw_put32(p + 8, mask);
	iw_put32(p + 12, file_offset);
	memcpy(p + 16, &vp, 2);
	iw_hdr(b, 0x304, p, 20);
}

static void iw_area(struct iw *b, uint64_t bytes, uint32_t index, uint32_t file_offset)
{
	uint8_t p[16];
	memcpy(p, &bytes, 8);
	iw_put32(p + 8, index);
	iw_put32(p + 12, file_offset);
	iw_hdr(b, 0x301, p, 16);
}

static void iw_param(struct iw *b, uint32_t type, uint32_t index, uint32_t off)
{
	uint32_t p[2] = { index, off };
	iw_hdr(b, type, p, 8);
}

static void iw_insert(struct iw *b, uint64_t gpa, uint32_t mask, uint32_t index)
{
	uint8_t p[16];
	memcpy(p, &gpa, 8);
	iw_put32(p + 8, mask);
	iw_put32(p + 12, index);
	iw_hdr(b, 0x303, p, 16);
}

/* A native context page (0xE8 bytes of context, then `tail` zero bytes). */
static uint32_t iw_native_ctx(struct iw *b, uint32_t tail)
{
	uint8_t ctx[4096] = { 0 };
	uint64_t rip = 0xffffffff81000000ull;
	memcpy(ctx + 0x80, &rip, 8);
	return iw_data(b, ctx, 0xE8 + tail);
}

static uint32_t iw_vmsa(struct iw *b, uint32_t size)
{
	uint8_t v[4096] = { 0 };
	uint64_t cr0 = 0x31, rip = 0x807000;
	memcpy(v + 0x158, &cr0, 8);
	memcpy(v + 0x178, &rip, 8);
	v[0x3B0] = 1;
	return iw_data(b, v, size);
}

static int iw_parse(struct iw *b, struct igvm_error *e)
{
	size_t len;
	uint8_t *f = iw_file(b, &len);
	struct igvm_file pf;
	int rc = igvm_parse(&pf, f, len, e);
	free(f);
	return rc;
}

static void iw_expect(struct iw *b, int code, const char *what)
{
	struct igvm_error e = { 0 };
	int rc = iw_parse(b, &e);
	if (rc != code)
		fail_msg("%s: igvm_parse returned %d (%s), want %d", what, rc,
			 e.msg ? e.msg : "-", code);
	if (code != IGVM_OK)
		assert_non_null(e.msg);
}

/* A file shaped like build/keel.igvm: the igvm crate and igvm_parse accept it. */
static void iw_good(struct iw *b)
{
	uint8_t page[4096];
	memset(page, 0x5A, sizeof(page));
	uint64_t policy[2] = { 0x30000, 2 };
	iw_base(b);
	iw_hdr(b, 0x101, policy, 16);
	iw_area(b, 0x1000, 0, 0);
	iw_param(b, 0x30C, 0, 0);
	iw_insert(b, 0x801000, 3, 0);
	iw_page(b, 0x1000000, 3, iw_data(b, page, 4096), 0, 0, 0);
	iw_page(b, 0x804000, 2, 0, 0, 2, 0);
	iw_vp(b, 0, 1, iw_native_ctx(b, 4096 - 0xE8), 0);
	iw_vp(b, 0xFFFFFFFFF000ull, 2, iw_vmsa(b, 4096), 0);
}

static void test_iw_good_file_accepted(void **s)
{
	(void)s;
	struct iw b;
	iw_good(&b);
	iw_expect(&b, IGVM_OK, "file shaped like keel.igvm");
}

static void test_iw_short_native_context(void **s)
{
	(void)s;
	struct iw b;
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0, 0, 0, 0);
	/* The old igvm-build file: 0xE8 bytes of context end the file. */
	iw_vp(&b, 0, 1, iw_native_ctx(&b, 0), 0);
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "0xE8-byte native context ending the file");
	iw_base(&b);
	iw_vp(&b, 0, 1, iw_native_ctx(&b, 0x100), 0);
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "native context page cut short");
}

static void test_iw_native_context_tail(void **s)
{
	(void)s;
	struct iw b;
	iw_base(&b);
	uint32_t off = iw_native_ctx(&b, 4096 - 0xE8);
	b.d[off - IW_DATA + 0xE8 + 7] = 1;
	iw_vp(&b, 0, 1, off, 0);
	iw_expect(&b, IGVM_ERR_FIELD, "byte after the native context not zero");
}

static void test_iw_second_vp0_context(void **s)
{
	(void)s;
	struct iw b;
	struct igvm_error e = { 0 };
	iw_base(&b);
	uint32_t ctx = iw_native_ctx(&b, 4096 - 0xE8);
	iw_vp(&b, 0, 1, ctx, 0);
	iw_vp(&b, 0, 1, ctx, 1); /* VP 1: fine */
	iw_expect(&b, IGVM_OK, "VP 0 and VP 1 contexts");
	iw_vp(&b, 0, 1, ctx, 0); /* a second VP 0 for NATIVE */
	assert_int_equal(iw_parse(&b, &e), IGVM_ERR_FIELD);
	assert_non_null(strstr(e.msg, "second VP_CONTEXT"));
	iw_base(&b);
	uint32_t v = iw_vmsa(&b, 4096);
	iw_vp(&b, 0xFFFFFFFFF000ull, 2, v, 0);
	iw_vp(&b, 0xFFFFFFFFE000ull, 2, v, 0);
	assert_int_equal(iw_parse(&b, &e), IGVM_ERR_FIELD);
	assert_non_null(strstr(e.msg, "second VP_CONTEXT"));
	/* One VP 0 per platform is fine. */
	iw_base(&b);
	iw_vp(&b, 0, 1, iw_native_ctx(&b, 4096 - 0xE8), 0);
	iw_vp(&b, 0xFFFFFFFFF000ull, 2, iw_vmsa(&b, 4096), 0);
	iw_expect(&b, IGVM_OK, "one VP 0 context per platform");
}

static void test_iw_vmsa_not_a_page(void **s)
{
	(void)s;
	struct iw b;
	iw_base(&b);
	iw_vp(&b, 0xFFFFFFFFF000ull, 2, iw_vmsa(&b, 0x670), 0);
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "VMSA shorter than a page at the file end");
	iw_base(&b);
	iw_vp(&b, 0xFFFFFFFFF800ull, 2, iw_vmsa(&b, 4096), 0);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "VMSA gpa not page aligned");
}

static void test_iw_vp_context_platforms(void **s)
{
	(void)s;
	struct iw b;
	iw_base(&b);
	iw_platform(&b, 4, 3, 0, 1, 0); /* TDX */
	iw_vp(&b, 0, 4, iw_native_ctx(&b, 4096 - 0xE8), 0);
	iw_expect(&b, IGVM_ERR_PLATFORM, "VP context for TDX");
	iw_base(&b);
	iw_platform(&b, 4, 1, 0, 1, 0); /* VSM: a VBS register list, unsupported */
	iw_vp(&b, 0, 4, iw_native_ctx(&b, 4096 - 0xE8), 0);
	iw_expect(&b, IGVM_ERR_PLATFORM, "VP context for VSM");
	iw_base(&b);
	iw_vp(&b, 0, 3, iw_native_ctx(&b, 4096 - 0xE8), 0);
	iw_expect(&b, IGVM_ERR_PLATFORM, "VP context mask naming two platforms");
	iw_base(&b);
	iw_vp(&b, 0, 8, iw_native_ctx(&b, 4096 - 0xE8), 0);
	iw_expect(&b, IGVM_ERR_PLATFORM, "VP context mask naming no platform");
}

static void test_iw_platform_rules(void **s)
{
	(void)s;
	static const struct {
		uint32_t mask;
		uint8_t type, vtl;
		uint16_t version;
		uint64_t boundary;
		const char *what;
	} bad[] = {
		{ 4, 3, 1, 1, 0, "highest_vtl 1" },
		{ 4, 3, 0, 2, 0, "platform version 2" },
		{ 4, 9, 0, 1, 0, "unknown platform type" },
		{ 4, 0, 0, 1, 0, "a second NATIVE platform" },
		{ 4, 2, 0, 1, 0, "a second SEV_SNP platform" },
		{ 4, 1, 0, 1, 1ull << 40, "VSM with a shared_gpa_boundary" },
		{ 0xC, 3, 0, 1, 0, "mask with two bits" },
		{ 0, 3, 0, 1, 0, "mask zero" },
		{ 2, 3, 0, 1, 0, "mask already declared" },
	};
	struct iw b;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iw_base(&b);
		iw_platform(&b, bad[i].mask, bad[i].type, bad[i].vtl, bad[i].version, bad[i].boundary);
		iw_page(&b, 0x1000, 1, 0, 0, 0, 0);
		iw_expect(&b, IGVM_ERR_PLATFORM, bad[i].what);
	}
	memset(&b, 0, sizeof(b));
	iw_platform(&b, 1, 0, 0, 1, 1ull << 40);
	iw_expect(&b, IGVM_ERR_PLATFORM, "NATIVE with a shared_gpa_boundary");
	iw_base(&b);
	iw_platform(&b, 4, 3, 2, 1, 1ull << 40); /* TDX, VTL 2, a boundary: fine */
	iw_expect(&b, IGVM_OK, "TDX platform with VTL 2");
	memset(&b, 0, sizeof(b));
	iw_page(&b, 0x1000, 1, 0, 0, 0, 0);
	iw_expect(&b, IGVM_ERR_PLATFORM, "no platform header");
}

static void test_iw_exact_lengths(void **s)
{
	(void)s;
	uint8_t zero[64] = { 0 };
	struct iw b;
	iw_base(&b);
	zero[8] = 1; /* mask 1 */
	iw_hdr(&b, 0x302, zero, 32);
	iw_expect(&b, IGVM_ERR_FIELD, "PAGE_DATA body 32 bytes");
	memset(&b, 0, sizeof(b));
	uint8_t plat[24] = { 1, 0, 0, 0, 0, 0, 1, 0 };
	iw_hdr(&b, 0x001, plat, 24);
	iw_expect(&b, IGVM_ERR_FIELD, "SUPPORTED_PLATFORM body 24 bytes");
	iw_base(&b);
	iw_area(&b, 0x1000, 0, 0);
	iw_hdr(&b, 0x307, zero, 16);
	iw_expect(&b, IGVM_ERR_FIELD, "VP_COUNT_PARAMETER body 16 bytes");
	iw_base(&b);
	uint8_t vp[24] = { 0 };
	vp[8] = 1;
	iw_hdr(&b, 0x304, vp, 24);
	iw_expect(&b, IGVM_ERR_FIELD, "VP_CONTEXT body 24 bytes");
	iw_base(&b);
	iw_hdr(&b, 0x30B, zero, 64);
	iw_expect(&b, IGVM_ERR_FIELD, "SNP_ID_BLOCK body 64 bytes");
	iw_base(&b);
	uint64_t policy[3] = { 0x30000, 2, 0 };
	iw_hdr(&b, 0x101, policy, 24);
	iw_expect(&b, IGVM_ERR_FIELD, "GUEST_POLICY body 24 bytes");
}

static void test_iw_unsupported_types(void **s)
{
	(void)s;
	static const struct {
		uint32_t type, len;
		const char *what;
	} bad[] = {
		{ 0x80000000u | 0x3F0, 8, "ignorable type (the crate loads none)" },
		{ 0x80000000u | 0x302, 24, "PAGE_DATA with the ignorable bit" },
		{ 0x3F0, 8, "unknown directive type" },
		{ 0x306, 8, "RESERVED_DO_NOT_USE" },
		{ 0x250, 8, "type between the init and directive ranges" },
		{ 0x102, 48, "RELOCATABLE_REGION without a VBS VP context" },
		{ 0x103, 32, "PAGE_TABLE_RELOCATION_REGION without a VBS VP context" },
	};
	uint8_t body[48] = { 2 };
	struct iw b;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		iw_base(&b);
		iw_hdr(&b, bad[i].type, body, bad[i].len);
		iw_expect(&b, IGVM_ERR_UNKNOWN_REQUIRED, bad[i].what);
	}
}

static void test_iw_reserved_and_alignment(void **s)
{
	(void)s;
	struct iw b;
	uint64_t policy[2] = { 0x30000, 2 | (1ull << 32) };
	iw_base(&b);
	iw_hdr(&b, 0x101, policy, 16);
	iw_expect(&b, IGVM_ERR_FIELD, "GUEST_POLICY reserved not zero");
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0, 0, 0, 1);
	iw_expect(&b, IGVM_ERR_FIELD, "PAGE_DATA reserved not zero");
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0, 0, 4, 0);
	iw_expect(&b, IGVM_ERR_FIELD, "PAGE_DATA data type 4");
	iw_base(&b);
	iw_page(&b, 0x1800, 1, 0, 0, 0, 0);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "PAGE_DATA gpa not 4 KiB aligned");
	uint8_t req[24] = { 0 };
	iw_base(&b);
	req[8] = 1;
	req[13] = 0x10; /* 4 KiB */
	req[20] = 1;    /* reserved */
	iw_hdr(&b, 0x305, req, 24);
	iw_expect(&b, IGVM_ERR_FIELD, "REQUIRED_MEMORY reserved not zero");
	iw_base(&b);
	req[20] = 0;
	req[12] = 0x80; /* 0x1080 bytes */
	iw_hdr(&b, 0x305, req, 24);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "REQUIRED_MEMORY size not page aligned");
	uint8_t er[16] = { 0x10, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x10 };
	iw_base(&b);
	iw_hdr(&b, 0x30D, er, 16);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "ERROR_RANGE gpa not page aligned");
}

static void test_iw_file_data_placement(void **s)
{
	(void)s;
	struct iw b;
	size_t len;
	struct igvm_file pf;
	struct igvm_error e;
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 24, 0, 0, 0); /* "data" on the headers */
	iw_data(&b, "x", 1);
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "page data inside the header section");
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0x1000, 0, 0, 0); /* between the headers and IW_DATA */
	iw_data(&b, "x", 1);
	iw_expect(&b, IGVM_OK, "page data after the headers, before IW_DATA");
	iw_base(&b);
	iw_page(&b, 0x1000, 1, IW_DATA + 1, 0, 0, 0);
	iw_data(&b, "x", 1);
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "page data past the end of the file");
	/* No file data at all: the crate rejects the file. */
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0, 0, 0, 0);
	uint8_t *f = iw_file_ex(&b, &len, 0, 24 + b.hlen);
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_ERR_SIZE);
	free(f);
	/* The VP_CONTEXT's padding runs past the header section. */
	iw_base(&b);
	iw_vp(&b, 0, 1, iw_native_ctx(&b, 4096 - 0xE8), 0);
	f = iw_file_ex(&b, &len, b.hlen - 4, 0);
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_ERR_HEADER_BOUNDS);
	free(f);
	/* Parameter area contents past the file end. */
	iw_base(&b);
	iw_area(&b, 0x2000, 0, iw_data(&b, "abc", 3));
	iw_expect(&b, IGVM_ERR_DATA_BOUNDS, "parameter area contents past the file end");
}

static void test_iw_fixed_header(void **s)
{
	(void)s;
	struct iw b;
	size_t len;
	struct igvm_file pf;
	struct igvm_error e;
	iw_good(&b);
	uint8_t *f = iw_file(&b, &len);
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_OK);
	assert_int_equal(igvm_parse(&pf, f, len + 1, &e), IGVM_ERR_SIZE);
	assert_int_equal(igvm_parse(&pf, f, len - 1, &e), IGVM_ERR_TRUNCATED);
	f[24 + 8] ^= 0x10; /* a header byte, checksum not redone */
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_ERR_CHECKSUM);
	free(f);
	f = iw_file(&b, &len);
	iw_put32(f + 4, 2);
	iw_put32(f + 20, 0);
	iw_put32(f + 20, iw_crc32(iw_crc32(0, f, 24), f + 24, b.hlen));
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_ERR_VERSION);
	free(f);
	f = iw_file(&b, &len);
	iw_put32(f + 8, 28); /* unaligned variable header offset */
	iw_put32(f + 20, 0);
	iw_put32(f + 20, iw_crc32(iw_crc32(0, f, 24), f + 28, b.hlen));
	assert_int_equal(igvm_parse(&pf, f, len, &e), IGVM_ERR_SIZE);
	free(f);
}

static void test_iw_section_order(void **s)
{
	(void)s;
	struct iw b;
	uint64_t policy[2] = { 0x30000, 2 };
	iw_base(&b);
	iw_page(&b, 0x1000, 1, 0, 0, 0, 0);
	iw_hdr(&b, 0x101, policy, 16);
	iw_expect(&b, IGVM_ERR_SECTION_ORDER, "GUEST_POLICY after a directive");
	iw_base(&b);
	iw_hdr(&b, 0x101, policy, 16);
	iw_platform(&b, 4, 3, 0, 1, 0);
	iw_expect(&b, IGVM_ERR_SECTION_ORDER, "platform after an init header");
}

static void test_iw_parameter_rules(void **s)
{
	(void)s;
	struct iw b;
	iw_base(&b);
	iw_area(&b, 0x1000, 0, 0);
	iw_area(&b, 0x1000, 0, 0);
	iw_expect(&b, IGVM_ERR_PARAMETER, "parameter area index declared twice");
	iw_base(&b);
	iw_param(&b, 0x307, 3, 0);
	iw_expect(&b, IGVM_ERR_PARAMETER, "parameter naming an undeclared area");
	iw_base(&b);
	iw_area(&b, 0x1000, 0, 0);
	iw_insert(&b, 0x10000, 1, 0);
	iw_insert(&b, 0x20000, 1, 0);
	iw_expect(&b, IGVM_ERR_PARAMETER, "parameter area inserted twice");
	iw_base(&b);
	iw_area(&b, 0x1000, 0, 0);
	iw_insert(&b, 0x10000, 1, 0);
	iw_param(&b, 0x30E, 0, 0);
	iw_expect(&b, IGVM_ERR_PARAMETER, "parameter used after its insert");
	iw_base(&b);
	iw_area(&b, 0x800, 0, 0);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "parameter area size not page aligned");
	iw_base(&b);
	iw_area(&b, 0x1000, 0, 0);
	iw_insert(&b, 0x10800, 1, 0);
	iw_expect(&b, IGVM_ERR_ALIGNMENT, "PARAMETER_INSERT gpa not page aligned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iw_good_file_accepted),
		cmocka_unit_test(test_iw_short_native_context),
		cmocka_unit_test(test_iw_native_context_tail),
		cmocka_unit_test(test_iw_second_vp0_context),
		cmocka_unit_test(test_iw_vmsa_not_a_page),
		cmocka_unit_test(test_iw_vp_context_platforms),
		cmocka_unit_test(test_iw_platform_rules),
		cmocka_unit_test(test_iw_exact_lengths),
		cmocka_unit_test(test_iw_unsupported_types),
		cmocka_unit_test(test_iw_reserved_and_alignment),
		cmocka_unit_test(test_iw_file_data_placement),
		cmocka_unit_test(test_iw_fixed_header),
		cmocka_unit_test(test_iw_section_order),
		cmocka_unit_test(test_iw_parameter_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
