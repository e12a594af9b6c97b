/*
 * kernel/svsm/buffer_rule.c: every form of a `buffer=` value, the bad ones
 * with their messages, the MAX limit, and what the rules make of a call's
 * registers (gpa/len or the SVSM error the guest gets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <keel/svsm.h>

#include "svsm/buffer_rule.h"

static char err[128];

static int parse(const char *text, struct svsm_buffer_rule *r)
{
	memset(err, 'x', sizeof(err));
	return svsm_buffer_rule_parse(text, strlen(text), r, err, sizeof(err));
}

static void reject(const char *text, const char *want)
{
	struct svsm_buffer_rule r;
	int rc = parse(text, &r);
	if (rc == 0 || strcmp(err, want))
		print_error("input: %s\nerror: %s\nwanted: %s\n", text, rc ? err : "(accepted)",
		            want);
	assert_int_equal(rc, -1);
	assert_string_equal(err, want);
}

static void forms(void **state)
{
	(void)state;
	struct svsm_buffer_rule r;
	assert_int_equal(parse("1:page", &r), 0);
	assert_true(r.call == 1 && r.kind == SVSM_BUFFER_PAGE && r.max == 4096);
	assert_string_equal(err, "");
	assert_int_equal(parse("0x10:page", &r), 0);
	assert_int_equal(r.call, 16);
	assert_int_equal(parse("4294967295:rcx+rdx:1", &r), 0);
	assert_true(r.call == 0xffffffffu && r.kind == SVSM_BUFFER_RCX_RDX && r.max == 1);
	assert_int_equal(parse("0:rcx+rdx:65496", &r), 0);
	assert_int_equal(r.max, SVSM_INLINE_MAX);
	assert_int_equal(parse("0:rcx+rdx:65497", &r), 0); /* in parts (keel/svsm.h) */
	assert_int_equal(parse("1:rcx+rdx:262144", &r), 0);
	assert_int_equal(r.max, SVSM_BUFFER_MAX);
	assert_int_equal(parse("7:rcx+rdx:0x100", &r), 0);
	assert_int_equal(r.max, 256);
	assert_int_equal(parse("0:rcx-desc:64@0,16,32,48", &r), 0); /* SVSM_ATTEST_SERVICES */
	assert_true(r.kind == SVSM_BUFFER_DESC && r.max == 64 && r.nsegs == 4);
	assert_true(r.off[0] == 0 && r.off[1] == 16 && r.off[2] == 32 && r.off[3] == 48);
	assert_int_equal(parse("1:rcx-desc:0x58@48,0", &r), 0); /* any order */
	assert_true(r.max == 88 && r.nsegs == 2 && r.off[0] == 48 && r.off[1] == 0);
	assert_int_equal(parse("2:rcx-desc:12@0", &r), 0);
	/* the length is honoured: text past len is not read */
	assert_int_equal(svsm_buffer_rule_parse("3:pagezzz", 6, &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, SVSM_BUFFER_PAGE);
}

static void bad_forms(void **state)
{
	(void)state;
	reject("", "buffer: expected CALL:FORM, got '' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("page", "buffer: expected CALL:FORM, got 'page' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject(":page", "buffer: bad call number '' (0..4294967295, decimal or 0x hex)");
	reject("x:page", "buffer: bad call number 'x' (0..4294967295, decimal or 0x hex)");
	reject("4294967296:page",
	       "buffer: bad call number '4294967296' (0..4294967295, decimal or 0x hex)");
	reject("-1:page", "buffer: bad call number '-1' (0..4294967295, decimal or 0x hex)");
	reject("1:", "buffer: unknown form '' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("1:Page", "buffer: unknown form 'Page' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("1:page:4096", "buffer: unknown form 'page' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("1:rcx", "buffer: unknown form 'rcx' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("1:rcx+rdx", "buffer: rcx+rdx needs a maximum length (CALL:rcx+rdx:MAX)");
	reject("1:rcx+rdx:", "buffer: bad MAX '' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:0", "buffer: bad MAX '0' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:4K", "buffer: bad MAX '4K' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:99999999999", "buffer: bad MAX '99999999999' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:262145", "buffer: MAX 262145 is over the SVSM buffer limit 262144");
	reject("1:rcx+rdx:0x100000", "buffer: MAX 1048576 is over the SVSM buffer limit 262144");
	reject("0:rcx-desc", "buffer: unknown form 'rcx-desc' (CALL:page, CALL:rcx+rdx:MAX or "
	                     "CALL:rcx-desc:SIZE@OFF,...)");
	reject("0:rcx-desc:64", "buffer: rcx-desc needs SIZE@OFFSETS, got '64' "
	                        "(CALL:rcx-desc:SIZE@OFF,OFF,...)");
	reject("0:rcx-desc:0@0", "buffer: bad descriptor SIZE '0' (1..4096)");
	reject("0:rcx-desc:4097@0", "buffer: bad descriptor SIZE '4097' (1..4096)");
	reject("0:rcx-desc:64@", "buffer: bad offset '' (a {u64 gpa, u32 size} pair must fit in SIZE)");
	reject("0:rcx-desc:64@0,", "buffer: bad offset '' (a {u64 gpa, u32 size} pair must fit in SIZE)");
	reject("0:rcx-desc:64@53", "buffer: bad offset '53' (a {u64 gpa, u32 size} pair must fit in SIZE)");
	reject("0:rcx-desc:8@0", "buffer: bad offset '0' (a {u64 gpa, u32 size} pair must fit in SIZE)");
	reject("0:rcx-desc:64@0,11", "buffer: overlapping pairs at offset '11' "
	                             "(CALL:rcx-desc:SIZE@OFF,OFF,...)");
	reject("0:rcx-desc:99@0,12,24,36,48", "buffer: more than 4 offsets in '99@0,12,24,36,48' "
	                                      "(CALL:rcx-desc:SIZE@OFF,OFF,...)");
	/* a tiny error buffer is terminated, never overrun; NULL is allowed */
	struct svsm_buffer_rule r;
	char small[6];
	memset(small, 'x', sizeof(small));
	assert_int_equal(svsm_buffer_rule_parse("zz", 2, &r, small, sizeof(small)), -1);
	assert_int_equal(small[5], '\0');
	assert_int_equal(svsm_buffer_rule_parse("zz", 2, &r, NULL, 0), -1);
}

static const struct svsm_buffer_rule rules[] = {
    {1, SVSM_BUFFER_PAGE, 4096, 0, {0}},
    {7, SVSM_BUFFER_RCX_RDX, 64, 0, {0}},
    {9, SVSM_BUFFER_DESC, 40, 2, {0, 20}},
};

static uint32_t apply(uint32_t call, uint64_t rcx, uint64_t rdx, struct svsm_buffer *b)
{
	struct svsm_regs regs = {call, rcx, rdx, 0, 0};
	b->gpa = 0x1234; /* overwritten on every path */
	b->len = 99;
	return svsm_buffer_apply(rules, 3, call, &regs, b);
}

static void apply_rules(void **state)
{
	(void)state;
	struct svsm_buffer b;
	assert_int_equal(apply(1, 0x5000, 9, &b), SVSM_SUCCESS);
	assert_true(b.gpa == 0x5000 && b.len == 4096);
	assert_int_equal(apply(1, 0x5008, 0, &b), SVSM_ERR_INVALID_ADDRESS); /* unaligned page */
	assert_true(b.gpa == 0 && b.len == 0);
	assert_int_equal(apply(1, ~0ull & ~0xfffull, 0, &b), SVSM_ERR_INVALID_ADDRESS); /* wraps */
	assert_int_equal(apply(7, 0x5003, 64, &b), SVSM_SUCCESS);
	assert_true(b.gpa == 0x5003 && b.len == 64);
	assert_int_equal(apply(7, 0x5003, 1, &b), SVSM_SUCCESS);
	assert_int_equal(b.len, 1);
	assert_int_equal(apply(7, 0x5000, 65, &b), SVSM_ERR_INVALID_PARAMETER); /* over MAX */
	assert_int_equal(apply(7, 0x5000, 0, &b), SVSM_ERR_INVALID_PARAMETER);
	assert_int_equal(apply(7, 0x5000, 1ull << 32 | 16, &b),
	                 SVSM_ERR_INVALID_PARAMETER); /* no truncation */
	assert_true(b.gpa == 0 && b.len == 0);
	assert_int_equal(apply(7, ~0ull - 3, 8, &b), SVSM_ERR_INVALID_ADDRESS); /* wraps */
	assert_int_equal(apply(2, 0x5008, 5, &b), SVSM_SUCCESS); /* no rule: no buffer */
	assert_true(b.gpa == 0 && b.len == 0);
	assert_int_equal(apply(9, 0x6000, 0, &b), SVSM_SUCCESS); /* desc: the descriptor itself */
	assert_true(b.gpa == 0x6000 && b.len == 40 && b.rule == &rules[2]);
	assert_int_equal(apply(9, ~0ull - 20, 0, &b), SVSM_ERR_INVALID_ADDRESS);
	struct svsm_regs regs = {1, 0x5008, 0, 0, 0};
	assert_int_equal(svsm_buffer_apply(NULL, 0, 1, &regs, &b),
	                 SVSM_SUCCESS); /* no rules at all */
	assert_int_equal(b.len, 0);
}

static void pair(uint8_t *d, unsigned off, uint64_t gpa, uint32_t len)
{
	memcpy(d + off, &gpa, 8);
	memcpy(d + off + 8, &len, 4);
}

/* What an rcx-desc descriptor names, and the hostile ones. */
static void desc_segments(void **state)
{
	(void)state;
	uint8_t d[40] = {0};
	struct svsm_segment s[SVSM_BUFFER_MAX_SEGS];
	pair(d, 0, 0x10000, 100);
	pair(d, 20, 0x20000, 0);
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s), SVSM_SUCCESS);
	assert_true(s[0].gpa == 0x10000 && s[0].len == 100 && s[1].len == 0);
	pair(d, 20, ~0ull, 0); /* absent: any address */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s), SVSM_SUCCESS);
	pair(d, 20, 0x10063, 1); /* shares the last byte of the first */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s),
	                 SVSM_ERR_INVALID_PARAMETER);
	pair(d, 20, 0x10064, 1); /* the byte after: fine */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s), SVSM_SUCCESS);
	pair(d, 20, 0x6027, 1); /* the descriptor's last byte */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s),
	                 SVSM_ERR_INVALID_PARAMETER);
	pair(d, 20, ~0ull - 7, 9); /* wraps */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s),
	                 SVSM_ERR_INVALID_ADDRESS);
	pair(d, 20, 0x30000, 0xffffffffu); /* huge */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s),
	                 SVSM_ERR_INVALID_PARAMETER);
	pair(d, 20, 0x30000, SVSM_DESC_TOTAL_MAX - 40 - 100); /* exactly the limit: one message */
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s), SVSM_SUCCESS);
	pair(d, 20, 0x30000, SVSM_DESC_TOTAL_MAX - 40 - 100 + 1);
	assert_int_equal(svsm_buffer_desc_segments(&rules[2], d, 0x6000, s),
	                 SVSM_ERR_INVALID_PARAMETER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(forms),
	    cmocka_unit_test(bad_forms),
	    cmocka_unit_test(apply_rules),
	    cmocka_unit_test(desc_segments),
	};
	return cmocka_run_group_tests_name("buffer-rule", tests, NULL, NULL);
}
