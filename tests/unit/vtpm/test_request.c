/*
 * apps/vtpm/request.c: every malformed router message and SVSM_VTPM_CMD
 * page is rejected with its documented status; responses are never
 * truncated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../apps/vtpm/request.h"

static uint8_t page[VTPM_BUFFER_SIZE];

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void make_page(uint32_t cmd, uint8_t loc, uint32_t size)
{
	memset(page, 0xcc, sizeof(page));
	put_le32(page, cmd);
	page[4] = loc;
	put_le32(page + 5, size);
}

static void cmd_valid(void **s)
{
	struct vtpm_cmd c;
	(void)s;
	make_page(8, 0, 12);
	assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_SUCCESS);
	assert_ptr_equal(c.command, page + 9);
	assert_int_equal(c.size, 12);
	make_page(8, 0, VTPM_MAX_COMMAND); /* exactly fills the page */
	assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_SUCCESS);
	assert_int_equal(c.size, 4087);
	make_page(8, 0, 0);
	assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_SUCCESS);
}

static void cmd_bad_platform_command(void **s)
{
	struct vtpm_cmd c;
	(void)s;
	static const uint32_t bad[] = {0, 1, 2, 7, 9, 0x100, 0x08000000, 0xffffffff};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_page(bad[i], 0, 12);
		assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_ERR_INVALID_PARAMETER);
		assert_null(c.command);
	}
}

static void cmd_bad_locality(void **s)
{
	struct vtpm_cmd c;
	(void)s;
	for (unsigned loc = 1; loc < 256; loc++) {
		make_page(8, (uint8_t)loc, 12);
		assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_ERR_INVALID_PARAMETER);
	}
}

static void cmd_bad_size(void **s)
{
	struct vtpm_cmd c;
	(void)s;
	static const uint32_t bad[] = {4088, 4096, 65536, 0x7fffffff, 0xffffffff};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_page(8, 0, bad[i]);
		assert_int_equal(vtpm_cmd_parse(page, sizeof(page), &c), SVSM_ERR_INVALID_PARAMETER);
	}
}

static void cmd_bad_buffer_length(void **s)
{
	struct vtpm_cmd c;
	static uint8_t big[VTPM_BUFFER_SIZE + 1];
	(void)s;
	make_page(8, 0, 12);
	static const size_t lens[] = {0, 1, 4, 8, 9, 21, 4095};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(vtpm_cmd_parse(page, lens[i], &c), SVSM_ERR_INVALID_PARAMETER);
	memcpy(big, page, sizeof(page));
	assert_int_equal(vtpm_cmd_parse(big, sizeof(big), &c), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(vtpm_cmd_parse(NULL, sizeof(page), &c), SVSM_ERR_INVALID_PARAMETER);
}

static size_t svsm_msg(uint8_t *buf, uint32_t call, uint32_t buf_len, uint32_t hdr_len)
{
	struct keel_svsm_call c;
	memset(&c, 0, sizeof(c));
	c.hdr.op = KEEL_OP_SVSM_CALL;
	c.hdr.len = hdr_len;
	c.call = call;
	c.buf_len = buf_len;
	c.rcx = 0x1234;
	memcpy(buf, &c, sizeof(c));
	return sizeof(c) + buf_len;
}

static void msg_valid(void **s)
{
	static uint8_t buf[64 + VTPM_BUFFER_SIZE];
	struct vtpm_msg m;
	(void)s;
	size_t n = svsm_msg(buf, 1, VTPM_BUFFER_SIZE, 40 + VTPM_BUFFER_SIZE);
	assert_int_equal(vtpm_msg_decode(buf, n, &m), 0);
	assert_int_equal(m.kind, VTPM_MSG_SVSM_CALL);
	assert_int_equal(m.call, 1);
	assert_int_equal(m.rcx, 0x1234);
	assert_int_equal(m.buf_len, VTPM_BUFFER_SIZE);
	assert_ptr_equal(m.buf, buf + 48);
	n = svsm_msg(buf, 0, 0, 40);
	assert_int_equal(vtpm_msg_decode(buf, n, &m), 0);
	struct keel_msg h = {VTPM_OP_PLATFORM, 4};
	memcpy(buf, &h, 8);
	put_le32(buf + 8, VTPM_SIGNAL_RESET);
	assert_int_equal(vtpm_msg_decode(buf, 12, &m), 0);
	assert_int_equal(m.kind, VTPM_MSG_PLATFORM);
	assert_int_equal(m.signal, VTPM_SIGNAL_RESET);
	h.op = KEEL_OP_PING;
	h.len = 0;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 8, &m), 0);
	assert_int_equal(m.kind, VTPM_MSG_PING);
}

static void msg_malformed(void **s)
{
	static uint8_t buf[64 + VTPM_BUFFER_SIZE];
	struct vtpm_msg m;
	struct keel_msg h;
	(void)s;
	assert_int_equal(vtpm_msg_decode(NULL, 8, &m), -1);
	assert_int_equal(vtpm_msg_decode(buf, 0, &m), -1);
	assert_int_equal(vtpm_msg_decode(buf, 7, &m), -1);
	/* header len disagrees with the bytes received */
	size_t n = svsm_msg(buf, 1, 16, 40 + 17);
	assert_int_equal(vtpm_msg_decode(buf, n, &m), -1);
	/* buf_len disagrees with the payload */
	n = svsm_msg(buf, 1, 16, 40 + 16);
	assert_int_equal(vtpm_msg_decode(buf, n - 1, &m), -1);
	svsm_msg(buf, 1, 17, 40 + 16);
	assert_int_equal(vtpm_msg_decode(buf, 48 + 16, &m), -1);
	svsm_msg(buf, 1, 0xffffffff, 40);
	assert_int_equal(vtpm_msg_decode(buf, 48, &m), -1);
	/* SVSM call shorter than its fixed part */
	h.op = KEEL_OP_SVSM_CALL;
	h.len = 8;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 16, &m), -1);
	/* platform signal of the wrong size, ping with payload, unknown op */
	h.op = VTPM_OP_PLATFORM;
	h.len = 3;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 11, &m), -1);
	h.len = 5;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 13, &m), -1);
	h.op = KEEL_OP_PING;
	h.len = 1;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 9, &m), -1);
	h.op = 0x999;
	h.len = 0;
	memcpy(buf, &h, 8);
	assert_int_equal(vtpm_msg_decode(buf, 8, &m), -1);
}

static void rsp_encode(void **s)
{
	static uint8_t rsp[VTPM_BUFFER_SIZE + 8];
	(void)s;
	memset(rsp, 0x5a, sizeof(rsp));
	assert_int_equal(vtpm_rsp_encode(page, sizeof(page), rsp, 100), 104);
	assert_int_equal(page[0], 100);
	assert_int_equal(page[1] | page[2] | page[3], 0);
	assert_memory_equal(page + 4, rsp, 100);
	/* exactly fits */
	assert_int_equal(vtpm_rsp_encode(page, sizeof(page), rsp, 4092), 4096);
	/* one byte too many: a TPM_RC_FAILURE response, not a truncated one */
	assert_int_equal(vtpm_rsp_encode(page, sizeof(page), rsp, 4093), 14);
	static const uint8_t fail[14] = {10, 0, 0, 0, 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01};
	assert_memory_equal(page, fail, sizeof(fail));
	assert_int_equal(vtpm_rsp_encode(page, sizeof(page), NULL, 10), 14);
	/* shorter than a TPM response header: not passed on */
	assert_int_equal(vtpm_rsp_encode(page, sizeof(page), rsp, 9), 14);
	assert_memory_equal(page, fail, sizeof(fail));
	assert_int_equal(vtpm_rsp_encode(page, 13, rsp, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cmd_valid),
		cmocka_unit_test(cmd_bad_platform_command),
		cmocka_unit_test(cmd_bad_locality),
		cmocka_unit_test(cmd_bad_size),
		cmocka_unit_test(cmd_bad_buffer_length),
		cmocka_unit_test(msg_valid),
		cmocka_unit_test(msg_malformed),
		cmocka_unit_test(rsp_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
