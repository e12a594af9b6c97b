/*
 * kernel/platform/snp/guest_msg.c against a fake PSP written with OpenSSL:
 * the request decrypts (AES-256-GCM, IV = seqno, AAD = header 0x30..0x5F)
 * and carries the report data; a good response gives the report back; a
 * bad tag, wrong sequence number, wrong type, short size or a transport
 * failure is rejected, disables the key, and no sequence number is used twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "platform/snp/guest_msg.h"

enum fault { NONE, BAD_TAG, BAD_SEQ, BAD_TYPE, SHORT, FAIL_CALL, FW_STATUS, BIG_SIZE };

struct fake_psp {
	uint8_t key[32];
	uint64_t expect_seq; /* the PSP's counter: the next request's seqno */
	enum fault fault;
	uint64_t seen[16];
	int nseen;
	uint8_t last_user_data[64];
};

static struct snp_guest_msg req_page, rsp_page;

/* OpenSSL AES-256-GCM over one message: enc 1 seals, 0 opens (1 if the tag is good). */
static int ossl_gcm(const uint8_t key[32], struct snp_guest_msg *m, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t iv[12] = {0}, out[SNP_MSG_PAYLOAD_MAX];
	int len = 0, ok;
	memcpy(iv, &m->hdr.msg_seqno, 8);
	ok = EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, key, iv, enc) &&
	     EVP_CipherUpdate(c, NULL, &len, (uint8_t *)&m->hdr + 0x30, 0x30) &&
	     EVP_CipherUpdate(c, out, &len, m->payload, m->hdr.msg_sz);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, m->hdr.authtag);
	if (ok)
		ok = EVP_CipherFinal_ex(c, out + len, &len);
	if (ok && enc) {
		memset(m->hdr.authtag, 0, 32);
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, m->hdr.authtag);
	}
	if (ok)
		memcpy(m->payload, out, m->hdr.msg_sz);
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static int psp_request(void *ctx, struct snp_guest_msg *req, struct snp_guest_msg *rsp)
{
	struct fake_psp *p = ctx;
	struct snp_guest_msg in = *req;
	uint32_t status, size = 1184;
	p->seen[p->nseen++] = req->hdr.msg_seqno;
	if (p->fault == FAIL_CALL)
		return 1;
	/* What the PSP checks. */
	assert_int_equal(in.hdr.algo, 1);
	assert_int_equal(in.hdr.hdr_version, 1);
	assert_int_equal(in.hdr.hdr_sz, 0x60);
	assert_int_equal(in.hdr.msg_type, SNP_MSG_REPORT_REQ);
	assert_int_equal(in.hdr.msg_version, 1);
	assert_int_equal(in.hdr.msg_sz, 96);
	assert_int_equal(in.hdr.msg_vmpck, 0);
	assert_int_equal(in.hdr.msg_seqno, p->expect_seq);
	assert_true(ossl_gcm(p->key, &in, 0));
	memcpy(p->last_user_data, in.payload, 64);
	assert_int_equal(in.payload[64], 0); /* vmpl 0 */
	p->expect_seq += 2;

	memset(rsp, 0, sizeof(*rsp));
	rsp->hdr.msg_seqno = in.hdr.msg_seqno + 1;
	rsp->hdr.algo = 1;
	rsp->hdr.hdr_version = 1;
	rsp->hdr.hdr_sz = 0x60;
	rsp->hdr.msg_type = SNP_MSG_REPORT_RSP;
	rsp->hdr.msg_version = 1;
	rsp->hdr.msg_sz = SNP_REPORT_RSP_HDR + 1184;
	status = p->fault == FW_STATUS ? 0x16 : 0;
	if (p->fault == BIG_SIZE)
		size = 4000;
	memcpy(rsp->payload, &status, 4);
	memcpy(rsp->payload + 4, &size, 4);
	for (int i = 0; i < 1184; i++)
		rsp->payload[SNP_REPORT_RSP_HDR + i] = (uint8_t)(i * 31);
	memcpy(rsp->payload + SNP_REPORT_RSP_HDR + 0x50, p->last_user_data, 64);
	if (p->fault == BAD_SEQ)
		rsp->hdr.msg_seqno += 2;
	if (p->fault == BAD_TYPE)
		rsp->hdr.msg_type = SNP_MSG_REPORT_REQ;
	if (p->fault == SHORT)
		rsp->hdr.msg_sz = SNP_REPORT_RSP_HDR - 1;
	assert_true(ossl_gcm(p->key, rsp, 1));
	if (p->fault == BAD_TAG)
		rsp->hdr.authtag[3] ^= 1;
	return 0;
}

static struct fake_psp psp;
static struct snp_guest_channel ch;
static const struct snp_guest_transport tr = {psp_request, &psp, &req_page, &rsp_page};
static uint8_t data[64], out[2048];

static int setup(void **state)
{
	(void)state;
	memset(&psp, 0, sizeof(psp));
	memset(&ch, 0, sizeof(ch));
	for (int i = 0; i < 32; i++)
		psp.key[i] = ch.vmpck[i] = (uint8_t)(0xa0 + i);
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)(i ^ 0x5c);
	psp.expect_seq = 1;
	return 0;
}

static void report_ok(void **state)
{
	(void)state;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), 1184);
	assert_memory_equal(psp.last_user_data, data, 64);
	assert_memory_equal(out + 0x50, data, 64);
	assert_int_equal(out[1], 31);
	/* The request left encrypted: the report data is not in the shared page. */
	assert_memory_not_equal(req_page.payload, data, 64);
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), 1184);
	assert_int_equal(psp.seen[0], 1);
	assert_int_equal(psp.seen[1], 3);
	assert_int_equal(ch.seqno, 4);
}

static void seal_open_roundtrip(void **state)
{
	struct snp_guest_msg m;
	(void)state;
	memset(&m, 0, sizeof(m));
	m.hdr.msg_seqno = 77;
	m.hdr.msg_sz = 100;
	m.hdr.algo = 1;
	for (int i = 0; i < 100; i++)
		m.payload[i] = (uint8_t)i;
	snp_guest_seal(psp.key, &m); /* BearSSL seals, OpenSSL opens */
	assert_true(ossl_gcm(psp.key, &m, 0));
	assert_int_equal(m.payload[99], 99);
	assert_true(ossl_gcm(psp.key, &m, 1)); /* OpenSSL seals, BearSSL opens */
	assert_true(snp_guest_open(psp.key, &m));
	assert_int_equal(m.payload[42], 42);
	m.hdr.msg_type = 9; /* AAD changed */
	assert_true(ossl_gcm(psp.key, &m, 1));
	m.hdr.msg_type = 8;
	assert_false(snp_guest_open(psp.key, &m));
}

/* A bad response: rejected, the key disabled, and no seqno sent twice. */
static void rejected(enum fault f, long want)
{
	static const uint8_t zero[32];
	psp.fault = NONE;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), 1184);
	psp.fault = f;
	memset(out, 0xee, sizeof(out));
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), want);
	assert_int_equal(out[0], 0xee); /* nothing copied out */
	assert_true(ch.disabled);
	assert_memory_equal(ch.vmpck, zero, 32);
	psp.fault = NONE;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), SNP_GUEST_DISABLED);
	assert_int_equal(psp.nseen, 2); /* the disabled key sent nothing */
	assert_int_not_equal(psp.seen[0], psp.seen[1]);
}

static void bad_tag(void **s) { (void)s; rejected(BAD_TAG, SNP_GUEST_BAD_RESPONSE); }
static void bad_seq(void **s) { (void)s; rejected(BAD_SEQ, SNP_GUEST_BAD_RESPONSE); }
static void bad_type(void **s) { (void)s; rejected(BAD_TYPE, SNP_GUEST_BAD_RESPONSE); }
static void short_rsp(void **s) { (void)s; rejected(SHORT, SNP_GUEST_BAD_RESPONSE); }
static void big_size(void **s) { (void)s; rejected(BIG_SIZE, SNP_GUEST_BAD_RESPONSE); }
static void fail_call(void **s) { (void)s; rejected(FAIL_CALL, SNP_GUEST_TRANSPORT); }

/* An authenticated error status: the counters agree, the key stays usable. */
static void fw_status(void **state)
{
	(void)state;
	psp.fault = FW_STATUS;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), SNP_GUEST_FW_STATUS);
	psp.fault = NONE;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), 1184);
	assert_int_equal(psp.seen[1], 3);
}

static void too_small(void **state)
{
	(void)state;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, 1183), SNP_GUEST_TOO_SMALL);
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, 1184), 1184);
}

/* VMPCK0 and the counter come from the secrets page and go back to it. */
static void secrets_page(void **state)
{
	static uint8_t page[4096];
	uint32_t seq = 40;
	(void)state;
	memset(page, 0x11, sizeof(page));
	memcpy(page + 0x20, psp.key, 32);
	memcpy(page + 0xa0, &seq, 4);
	memset(&ch, 0, sizeof(ch));
	snp_guest_channel_init(&ch, page);
	psp.expect_seq = 41;
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), 1184);
	snp_guest_channel_save(&ch, page);
	memcpy(&seq, page + 0xa0, 4);
	assert_int_equal(seq, 42);
	assert_int_equal(page[0xa4], 0x11); /* nothing else touched */
}

/* The counter's end: the key is disabled rather than wrapping to a used number. */
static void counter_end(void **state)
{
	(void)state;
	ch.seqno = UINT32_MAX - 1; /* the last pair, (2^32-2, 2^32-1), was used */
	assert_int_equal(snp_guest_report(&ch, &tr, data, 0, out, sizeof(out)), SNP_GUEST_DISABLED);
	assert_int_equal(psp.nseen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(seal_open_roundtrip, setup), cmocka_unit_test_setup(report_ok, setup),
	    cmocka_unit_test_setup(bad_tag, setup),             cmocka_unit_test_setup(bad_seq, setup),
	    cmocka_unit_test_setup(bad_type, setup),            cmocka_unit_test_setup(short_rsp, setup),
	    cmocka_unit_test_setup(big_size, setup),            cmocka_unit_test_setup(fail_call, setup),
	    cmocka_unit_test_setup(fw_status, setup),           cmocka_unit_test_setup(too_small, setup),
	    cmocka_unit_test_setup(secrets_page, setup),        cmocka_unit_test_setup(counter_end, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
