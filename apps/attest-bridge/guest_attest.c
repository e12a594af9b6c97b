/*
 * SVSM protocol 1, guest attestation (guest_attest.h; the wire format in
 * guest_proto.h). Decode the request the router copied in (the structure,
 * then its report, nonce, manifest and certificates buffers), check it as
 * COCONUT-SVSM does, build the services manifest, get a report whose
 * REPORT_DATA is SHA-512(nonce || manifest), and give back the layout with
 * the lengths to copy out (buffer=CALL:rcx-desc, docs/svsm-routing.md).
 * Decode everything first; nothing is asked of the vtpm or the platform
 * for a request that is refused.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <keel/errors.h>
#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../vtpm/vtpm_protocol.h"
#include "guest_attest.h"
#include "guest_ekpub.h"
#include "guest_manifest.h"
#include "guest_proto.h"

enum { SEG_REPORT, SEG_NONCE, SEG_MANIFEST, SEG_CERTS, NSEGS };
static const uint32_t seg_off[NSEGS] = {ATTEST_OFF_REPORT, ATTEST_OFF_NONCE, ATTEST_OFF_MANIFEST,
                                        ATTEST_OFF_CERTS};

/* One decoded request: the structure and where each buffer sits in the message. */
struct request {
	uint32_t call;
	const uint8_t *op; /* the structure, op_size bytes */
	uint32_t op_size;
	uint64_t gpa[NSEGS];
	uint32_t size[NSEGS];
	size_t pos[NSEGS]; /* offset of each buffer in the message's buffer */
};

/* What the guest gets back. */
struct answer {
	uint32_t rax;
	uint64_t rcx, rdx, r8;
	uint32_t out[NSEGS]; /* bytes to copy back to each buffer; 0 for all on failure */
};

static uint8_t ekpub[VTPM_EKPUB_MAX];
static uint8_t manifest[ATTEST_MANIFEST_ENTRY_SIZE * 2 + VTPM_EKPUB_MAX];
static uint8_t report[ATTEST_PAGE_SIZE];

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/*
 * The message's buffer as the rcx-desc rule laid it out. A layout that
 * does not add up means the manifest's buffer= rule is not the one
 * guest_proto.h names: SVSM_ERR_INVALID_REQUEST (and a log line).
 */
static uint32_t decode_layout(struct request *q, const uint8_t *buf, uint32_t buf_len)
{
	static int warned;
	uint64_t pos;
	q->op_size = q->call == SVSM_ATTEST_SERVICES ? ATTEST_SERVICES_OP_SIZE : ATTEST_SINGLE_OP_SIZE;
	q->op = buf;
	pos = q->op_size;
	for (unsigned i = 0; buf_len >= q->op_size && i < NSEGS; i++) {
		q->gpa[i] = le64(buf + seg_off[i]);
		q->size[i] = le32(buf + seg_off[i] + 8);
		q->pos[i] = (size_t)pos;
		pos += q->size[i];
	}
	if (buf_len < q->op_size || pos != buf_len) {
		if (!warned++)
			printf("attest-bridge: protocol 1 call %u: the router's buffer (%u bytes) is not "
			       "the request layout: check buffer=%u:rcx-desc:%u@0,16,32,48\n",
			       q->call, buf_len, q->call, q->op_size);
		return SVSM_ERR_INVALID_REQUEST;
	}
	return SVSM_SUCCESS;
}

/* The checks COCONUT-SVSM makes of the structure (reserved bytes, nonce, alignment). */
static uint32_t check_request(const struct request *q)
{
	static const uint8_t vtpm_guid[16] = ATTEST_GUID_VTPM;
	const uint8_t *o = q->op;
	uint64_t nonce_gpa = q->gpa[SEG_NONCE];
	uint16_t nonce_size = (uint16_t)(o[ATTEST_OFF_NONCE + 8] | o[ATTEST_OFF_NONCE + 9] << 8);
	if (!all_zero(o + 0x0c, 4) || !all_zero(o + 0x1a, 6) || !all_zero(o + 0x2c, 4) ||
	    !all_zero(o + 0x3c, 4))
		return SVSM_ERR_INVALID_PARAMETER;
	if (q->call == SVSM_ATTEST_SINGLE_SERVICE &&
	    (!all_zero(o + 0x54, 4) || le32(o + ATTEST_OFF_MANIFEST_VER) != 0))
		return SVSM_ERR_INVALID_PARAMETER; /* manifest version 0 only */
	if (nonce_size != ATTEST_NONCE_SIZE ||
	    (nonce_gpa % ATTEST_PAGE_SIZE) + ATTEST_NONCE_SIZE > ATTEST_PAGE_SIZE)
		return SVSM_ERR_INVALID_PARAMETER;
	if (q->gpa[SEG_REPORT] % ATTEST_PAGE_SIZE || q->gpa[SEG_MANIFEST] % ATTEST_PAGE_SIZE)
		return SVSM_ERR_INVALID_PARAMETER;
	if (q->call == SVSM_ATTEST_SINGLE_SERVICE && memcmp(o + ATTEST_OFF_GUID, vtpm_guid, 16))
		return SVSM_ERR_UNSUPPORTED_PROTOCOL; /* as COCONUT: a service it does not know */
	return SVSM_SUCCESS;
}

/* SHA-512(nonce || manifest): the report's REPORT_DATA (spec section 7). */
static int report_data(const uint8_t *nonce, const uint8_t *m, size_t mlen, uint8_t out[64])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha512(), NULL) == 1 &&
	         EVP_DigestUpdate(ctx, nonce, ATTEST_NONCE_SIZE) == 1 &&
	         EVP_DigestUpdate(ctx, m, mlen) == 1 && EVP_DigestFinal_ex(ctx, out, &n) == 1 &&
	         n == 64;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static void attest(const struct request *q, const uint8_t *buf, struct answer *a)
{
	uint8_t rd[64];
	size_t mlen, ek_len;
	long n;
	a->rax = check_request(q);
	if (a->rax != SVSM_SUCCESS)
		return;
	ek_len = attest_guest_ekpub(ekpub, sizeof(ekpub));
	if (q->call == SVSM_ATTEST_SINGLE_SERVICE) {
		if (!ek_len) {
			a->rax = SVSM_ERR_UNSUPPORTED_PROTOCOL; /* the vTPM is not there */
			return;
		}
		memcpy(manifest, ekpub, ek_len); /* one service: its manifest alone */
		mlen = ek_len;
	} else
		mlen = attest_guest_manifest(ekpub, ek_len, manifest, sizeof(manifest));
	/* Too small: say what is needed (RCX manifest, R8 report), as the spec asks. */
	if (mlen > q->size[SEG_MANIFEST] || ATTEST_REPORT_SIZE > q->size[SEG_REPORT]) {
		a->rax = SVSM_ERR_INVALID_PARAMETER;
		a->rcx = mlen;
		a->rdx = 0;
		a->r8 = ATTEST_REPORT_SIZE;
		return;
	}
	if (report_data(buf + q->pos[SEG_NONCE], manifest, mlen, rd)) {
		a->rax = SVSM_ERR_INVALID_REQUEST;
		return;
	}
	n = keel_attest_report(rd, report, sizeof(report));
	if (n < 0 || (size_t)n > q->size[SEG_REPORT]) {
		static int warned;
		if (!warned++)
			printf("attest-bridge: guest attestation: no report (%ld)%s\n", n,
			       n == KEEL_ENOTSUP ? ": this platform has none" : "");
		/* No report on this platform: the call cannot be served here. */
		a->rax = n == KEEL_ENOTSUP ? SVSM_ERR_UNSUPPORTED_CALL : SVSM_ERR_INVALID_REQUEST;
		return;
	}
	a->rax = SVSM_SUCCESS;
	a->rcx = mlen;
	a->rdx = 0; /* no certificates (as COCONUT-SVSM) */
	a->r8 = (uint64_t)n;
	a->out[SEG_REPORT] = (uint32_t)n;
	a->out[SEG_MANIFEST] = (uint32_t)mlen;
}

/* The reply: registers, and on success the layout with report and manifest in place. */
static size_t reply(const struct request *q, const uint8_t *buf, uint32_t buf_len,
                    const struct answer *a, void *rsp, size_t cap)
{
	struct keel_svsm_result r = {{KEEL_OP_SVSM_CALL, 0}, a->rax, a->rcx, a->rdx, a->r8, 0, 0};
	uint8_t *b = (uint8_t *)rsp + sizeof(r);
	if (a->rax == SVSM_SUCCESS && cap - sizeof(r) >= buf_len) {
		memcpy(b, buf, buf_len);
		memcpy(b + q->pos[SEG_REPORT], report, a->out[SEG_REPORT]);
		memcpy(b + q->pos[SEG_MANIFEST], manifest, a->out[SEG_MANIFEST]);
		for (unsigned i = 0; i < NSEGS; i++)
			put32(b + seg_off[i] + 8, a->out[i]);
		r.buf_len = buf_len;
	} else if (a->rax == SVSM_SUCCESS)
		r.rax = SVSM_ERR_INVALID_REQUEST; /* the bridge's reply buffer is too small */
	r.hdr.len = (uint32_t)(sizeof(r) - sizeof(struct keel_msg) + r.buf_len);
	memcpy(rsp, &r, sizeof(r));
	return sizeof(r) + r.buf_len;
}

size_t attest_guest_handle(const void *req, size_t len, void *rsp, size_t cap)
{
	struct keel_svsm_call c;
	struct request q;
	struct answer a;
	const uint8_t *buf = (const uint8_t *)req + sizeof(c);
	if (cap < sizeof(struct keel_svsm_result))
		return 0;
	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	a.rax = SVSM_ERR_INVALID_REQUEST;
	if (len < sizeof(c))
		return reply(&q, buf, 0, &a, rsp, cap);
	memcpy(&c, req, sizeof(c));
	/* Failures leave the guest's registers as they were. */
	a.rcx = c.rcx;
	a.rdx = c.rdx;
	a.r8 = c.r8;
	if (c.hdr.op != KEEL_OP_SVSM_CALL || c.hdr.len != len - sizeof(struct keel_msg) ||
	    c.buf_len != len - sizeof(c))
		return reply(&q, buf, 0, &a, rsp, cap);
	q.call = c.call;
	if (c.call != SVSM_ATTEST_SERVICES && c.call != SVSM_ATTEST_SINGLE_SERVICE) {
		a.rax = SVSM_ERR_UNSUPPORTED_CALL;
		return reply(&q, buf, 0, &a, rsp, cap);
	}
	a.rax = decode_layout(&q, buf, c.buf_len);
	if (a.rax == SVSM_SUCCESS)
		attest(&q, buf, &a);
	return reply(&q, buf, c.buf_len, &a, rsp, cap);
}
