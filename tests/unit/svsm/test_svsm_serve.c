/*
 * apps/svsm/svsm_serve.c against a scripted router: keel_chan_recv hands
 * out the script's messages one by one, keel_chan_reply records what the
 * service answered. Small and large calls both ways, and every malformed
 * exchange the router could send (answered with KEEL_OP_ERROR, never
 * handed out).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <keel/errors.h>
#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../../../apps/svsm/svsm_serve.h"

#define SCRIPT_MAX 32
static struct {
	uint8_t *msg;
	size_t len;
} script[SCRIPT_MAX];
static unsigned nscript, next;
static struct {
	uint8_t msg[KEEL_MSG_MAX];
	size_t len;
} replies[SCRIPT_MAX];
static unsigned nreplies;
static int owed;

long keel_chan_recv(keel_handle_t h, void *buf, size_t cap)
{
	assert_int_equal(h, KEEL_HANDLE_ROUTER);
	assert_false(owed); /* every message answered before the next */
	if (next == nscript)
		return KEEL_EPEERCLOSED;
	assert_true(script[next].len <= cap);
	memcpy(buf, script[next].msg, script[next].len);
	owed = 1;
	return (long)script[next++].len;
}

long keel_chan_reply(keel_handle_t h, const void *buf, size_t len)
{
	assert_int_equal(h, KEEL_HANDLE_ROUTER);
	assert_true(owed && len <= KEEL_MSG_MAX && nreplies < SCRIPT_MAX);
	owed = 0;
	memcpy(replies[nreplies].msg, buf, len);
	replies[nreplies++].len = len;
	return 0;
}

static uint8_t guest[SVSM_LARGE_BUFFER_MAX + 1];

static void add(const void *hdr, size_t hlen, const uint8_t *data, size_t dlen)
{
	assert_true(nscript < SCRIPT_MAX);
	script[nscript].msg = malloc(hlen + dlen);
	memcpy(script[nscript].msg, hdr, hlen);
	if (dlen)
		memcpy(script[nscript].msg + hlen, data, dlen);
	script[nscript++].len = hlen + dlen;
}

static void add_call(uint32_t call, uint32_t buf_len, int inline_bytes)
{
	uint32_t in = inline_bytes ? buf_len : 0;
	struct keel_svsm_call c = {{KEEL_OP_SVSM_CALL, 40 + in}, call, buf_len, 1, 2, 3, 4};
	add(&c, sizeof(c), guest, in);
}

static void add_part(uint32_t offset, uint32_t total, uint32_t len)
{
	struct keel_svsm_part p = {{KEEL_OP_SVSM_PART, 8 + len}, offset, total};
	add(&p, sizeof(p), guest + offset, len);
}

/* The router's push of `total` bytes, then the call without inline bytes. */
static void add_push(uint32_t call, uint32_t total)
{
	for (uint32_t off = 0; off < total; off += SVSM_PART_MAX)
		add_part(off, total, total - off < SVSM_PART_MAX ? total - off : SVSM_PART_MAX);
	add_call(call, total, 0);
}

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < nscript; i++)
		free(script[i].msg);
	nscript = next = nreplies = 0;
	owed = 0;
	for (uint32_t i = 0; i < sizeof(guest); i++)
		guest[i] = (uint8_t)(i * 13 + (i >> 12));
	return 0;
}

static void is_error(unsigned i)
{
	struct keel_msg m;
	int32_t e;
	assert_true(i < nreplies);
	assert_int_equal(replies[i].len, 12);
	memcpy(&m, replies[i].msg, 8);
	memcpy(&e, replies[i].msg + 8, 4);
	assert_int_equal(m.op, KEEL_OP_ERROR);
	assert_int_equal(m.len, 4);
	assert_int_equal(e, KEEL_EINVAL);
}

static void is_ack(unsigned i, uint32_t offset, uint32_t total)
{
	struct keel_svsm_part p;
	assert_true(i < nreplies);
	assert_int_equal(replies[i].len, sizeof(p));
	memcpy(&p, replies[i].msg, sizeof(p));
	assert_int_equal(p.hdr.op, KEEL_OP_SVSM_PART);
	assert_int_equal(p.hdr.len, 8);
	assert_int_equal(p.offset, offset);
	assert_int_equal(p.total, total);
}

static void small_call(void **state)
{
	struct svsm_serve *s = svsm_serve_new(KEEL_HANDLE_ROUTER);
	struct svsm_call_in in;
	struct svsm_call_out out = {0, 9, 8, 7, 10};
	struct keel_svsm_result r;
	(void)state;
	add_call(5, 100, 1);
	assert_int_equal(svsm_serve_recv(s, &in), 0);
	assert_true(in.call == 5 && in.buf_len == 100 && in.rcx == 1 && in.r9 == 4);
	assert_memory_equal(in.buf, guest, 100);
	assert_int_equal(svsm_serve_recv(s, &in), KEEL_EBUSY); /* the reply is owed first */
	in.buf[0] ^= 0xff;
	out.buf_len = 101;
	assert_int_equal(svsm_serve_reply(s, &out), KEEL_EINVAL); /* more than the call brought */
	out.buf_len = 10;
	assert_int_equal(svsm_serve_reply(s, &out), 0);
	assert_int_equal(nreplies, 1);
	assert_int_equal(replies[0].len, sizeof(r) + 10);
	memcpy(&r, replies[0].msg, sizeof(r));
	assert_true(r.hdr.op == KEEL_OP_SVSM_CALL && r.hdr.len == 50 && r.buf_len == 10 &&
	            r.rcx == 9);
	assert_int_equal(replies[0].msg[sizeof(r)], guest[0] ^ 0xff);
	assert_int_equal(svsm_serve_recv(s, &in), KEEL_EPEERCLOSED);
	svsm_serve_free(s);
}

/* Push, call, result in parts, pulls: the whole 256 KiB both ways. */
static void large_call(void **state)
{
	struct svsm_serve *s = svsm_serve_new(KEEL_HANDLE_ROUTER);
	struct svsm_call_in in;
	struct svsm_call_out out = {0, 0, 0, 0, SVSM_LARGE_BUFFER_MAX};
	struct keel_svsm_result r;
	uint32_t total = SVSM_LARGE_BUFFER_MAX, off, i;
	(void)state;
	add_push(1, total);
	assert_int_equal(svsm_serve_recv(s, &in), 0);
	assert_int_equal(in.buf_len, total);
	assert_memory_equal(in.buf, guest, total);
	for (i = 0; i < 5; i++)
		is_ack(i, i * SVSM_PART_MAX, total);
	for (i = 0; i < total; i++)
		in.buf[i] ^= 0x3c;
	for (off = 0; off < total; off += SVSM_PART_MAX)
		add_part(off, total, 0); /* the pulls */
	assert_int_equal(svsm_serve_reply(s, &out), 0);
	memcpy(&r, replies[5].msg, sizeof(r));
	assert_int_equal(replies[5].len, sizeof(r));
	assert_true(r.hdr.len == 40 && r.buf_len == total);
	assert_int_equal(svsm_serve_recv(s, &in), KEEL_EPEERCLOSED); /* answering the pulls first */
	assert_int_equal(nreplies, 11);
	for (i = 0, off = 0; i < 5; i++, off += SVSM_PART_MAX) {
		uint32_t len = total - off < SVSM_PART_MAX ? total - off : SVSM_PART_MAX;
		struct keel_svsm_part p;
		memcpy(&p, replies[6 + i].msg, sizeof(p));
		assert_int_equal(replies[6 + i].len, sizeof(p) + len);
		assert_true(p.hdr.op == KEEL_OP_SVSM_PART && p.hdr.len == 8 + len &&
		            p.offset == off && p.total == total);
		for (uint32_t k = 0; k < len; k++)
			assert_int_equal(replies[6 + i].msg[sizeof(p) + k], guest[off + k] ^ 0x3c);
	}
	svsm_serve_free(s);
}

/* Malformed from the router: KEEL_OP_ERROR each, nothing handed out; then a good call still works.
 */
static void malformed(void **state)
{
	struct svsm_serve *s = svsm_serve_new(KEEL_HANDLE_ROUTER);
	struct svsm_call_in in;
	struct keel_svsm_call c = {{KEEL_OP_SVSM_CALL, 41}, 1, 100, 0, 0, 0, 0};
	struct keel_svsm_call c2 = {{KEEL_OP_SVSM_CALL, 140}, 1, 99, 0, 0, 0, 0};
	struct keel_msg junk = {0x999, 0};
	(void)state;
	add(&c, sizeof(c), guest, 100);   /* 0: hdr.len disagrees */
	add_call(1, 70000, 0);            /* 1: a large call with no parts before it */
	add(&c2, sizeof(c2), guest, 100); /* 2: buf_len disagrees with the bytes */
	add_part(8, 70000, 100);          /* 3: a push starting elsewhere than 0 */
	add_part(0, 60000, 60000);        /* 4: a push of what fits one message */
	add_part(0, SVSM_LARGE_BUFFER_MAX + 1, SVSM_PART_MAX); /* 5: over the limit */
	add_part(0, 70000, 100);                               /* 6: a short first part */
	add(&junk, sizeof(junk), 0, 0);                        /* 7: another op */
	add_part(0, 70000, SVSM_PART_MAX);                     /* 8: a good first part (acked) */
	add_part(SVSM_PART_MAX + 1, 70000, 10); /* 9: then the wrong offset: dropped, error */
	add_call(1, 70000, 0);                  /* 10: the call of the dropped push: error */
	add_part(0, 70000, SVSM_PART_MAX);      /* 11: a new push (acked) */
	add_call(2, 10, 1);                     /* 12: abandoned for a small call: handed out */
	assert_int_equal(svsm_serve_recv(s, &in), 0);
	assert_true(in.call == 2 && in.buf_len == 10);
	for (unsigned i = 0; i <= 7; i++)
		is_error(i);
	is_ack(8, 0, 70000);
	is_error(9);
	is_error(10);
	is_ack(11, 0, 70000);
	assert_int_equal(nreplies, 12);
	svsm_serve_free(s);
}

/* A result in parts, the router pulling out of order or giving up: dropped, error or next call. */
static void bad_pulls(void **state)
{
	struct svsm_serve *s = svsm_serve_new(KEEL_HANDLE_ROUTER);
	struct svsm_call_in in;
	struct svsm_call_out out = {0, 0, 0, 0, 70000};
	(void)state;
	add_push(1, 70000);    /* replies 0-1 acks */
	add_part(0, 70000, 0); /* 3: first pull, good */
	add_part(0, 70000, 0); /* 4: again from 0: not the next step, and no start: error */
	add_push(1, 70000);    /* 5-6 acks: a new call after all */
	assert_int_equal(svsm_serve_recv(s, &in), 0);
	assert_int_equal(svsm_serve_reply(s, &out), 0); /* reply 2: the header */
	assert_int_equal(svsm_serve_recv(s, &in), 0);
	assert_int_equal(nreplies, 7);
	assert_int_equal(replies[3].len, sizeof(struct keel_svsm_part) + SVSM_PART_MAX);
	is_error(4);
	is_ack(5, 0, 70000);
	is_ack(6, SVSM_PART_MAX, 70000);
	svsm_serve_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(small_call, setup),
	    cmocka_unit_test_setup(large_call, setup),
	    cmocka_unit_test_setup(malformed, setup),
	    cmocka_unit_test_setup(bad_pulls, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
