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
	assert_int_equal(r.max, SVSM_BUFFER_MAX);
	assert_int_equal(parse("7:rcx+rdx:0x100", &r), 0);
	assert_int_equal(r.max, 256);
	/* the length is honoured: text past len is not read */
	assert_int_equal(svsm_buffer_rule_parse("3:pagezzz", 6, &r, err, sizeof(err)), 0);
	assert_int_equal(r.kind, SVSM_BUFFER_PAGE);
}

static void bad_forms(void **state)
{
	(void)state;
	reject("", "buffer: expected CALL:FORM, got '' (CALL:page or CALL:rcx+rdx:MAX)");
	reject("page", "buffer: expected CALL:FORM, got 'page' (CALL:page or CALL:rcx+rdx:MAX)");
	reject(":page", "buffer: bad call number '' (0..4294967295, decimal or 0x hex)");
	reject("x:page", "buffer: bad call number 'x' (0..4294967295, decimal or 0x hex)");
	reject("4294967296:page",
	       "buffer: bad call number '4294967296' (0..4294967295, decimal or 0x hex)");
	reject("-1:page", "buffer: bad call number '-1' (0..4294967295, decimal or 0x hex)");
	reject("1:", "buffer: unknown form '' (CALL:page or CALL:rcx+rdx:MAX)");
	reject("1:Page", "buffer: unknown form 'Page' (CALL:page or CALL:rcx+rdx:MAX)");
	reject("1:page:4096", "buffer: unknown form 'page' (CALL:page or CALL:rcx+rdx:MAX)");
	reject("1:rcx", "buffer: unknown form 'rcx' (CALL:page or CALL:rcx+rdx:MAX)");
	reject("1:rcx+rdx", "buffer: rcx+rdx needs a maximum length (CALL:rcx+rdx:MAX)");
	reject("1:rcx+rdx:", "buffer: bad MAX '' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:0", "buffer: bad MAX '0' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:4K", "buffer: bad MAX '4K' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:99999999999", "buffer: bad MAX '99999999999' (1..the SVSM buffer limit)");
	reject("1:rcx+rdx:65497", "buffer: MAX 65497 is over the SVSM buffer limit 65496");
	reject("1:rcx+rdx:65536", "buffer: MAX 65536 is over the SVSM buffer limit 65496");
	/* a tiny error buffer is terminated, never overrun; NULL is allowed */
	struct svsm_buffer_rule r;
	char small[6];
	memset(small, 'x', sizeof(small));
	assert_int_equal(svsm_buffer_rule_parse("zz", 2, &r, small, sizeof(small)), -1);
	assert_int_equal(small[5], '\0');
	assert_int_equal(svsm_buffer_rule_parse("zz", 2, &r, NULL, 0), -1);
}

static const struct svsm_buffer_rule rules[] = {
    {1, SVSM_BUFFER_PAGE, 4096},
    {7, SVSM_BUFFER_RCX_RDX, 64},
};

static uint32_t apply(uint32_t call, uint64_t rcx, uint64_t rdx, struct svsm_buffer *b)
{
	struct svsm_regs regs = {call, rcx, rdx, 0, 0};
	b->gpa = 0x1234; /* overwritten on every path */
	b->len = 99;
	return svsm_buffer_apply(rules, 2, call, &regs, b);
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
	struct svsm_regs regs = {1, 0x5008, 0, 0, 0};
	assert_int_equal(svsm_buffer_apply(NULL, 0, 1, &regs, &b),
	                 SVSM_SUCCESS); /* no rules at all */
	assert_int_equal(b.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(forms),
	    cmocka_unit_test(bad_forms),
	    cmocka_unit_test(apply_rules),
	};
	return cmocka_run_group_tests_name("buffer-rule", tests, NULL, NULL);
}
