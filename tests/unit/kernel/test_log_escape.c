/*
 * kernel/lib/log_escape.c, the rule the kernel's serial console and the
 * hosted stderr share: every line of a log call is "[NAME] ...", and the
 * bytes a terminal acts on arrive as \xNN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/log_escape.h"

struct out {
	char buf[65536];
	size_t len;
};

static void put(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	assert_true(o->len + n < sizeof(o->buf));
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static const char *emit(const char *name, const char *s, size_t len)
{
	static struct out o;
	o.len = 0;
	o.buf[0] = '\0';
	log_emit(name, s, len, put, &o);
	return o.buf;
}

static void plain_text_is_prefixed(void **state)
{
	(void)state;
	assert_string_equal(emit("echo", "hello\n", 6), "[echo] hello\n");
	assert_string_equal(emit("echo", "hello", 5), "[echo] hello\n");
	assert_string_equal(emit("echo", "", 0), "");
	assert_string_equal(emit("echo", "a\tb", 3), "[echo] a\tb\n");
	assert_string_equal(emit("echo", "caf\xc3\xa9", 5),
	                    "[echo] caf\xc3\xa9\n"); /* UTF-8 >= 0xa0 passes */
}

static void every_line_gets_the_prefix(void **state)
{
	(void)state;
	/* a forged kernel outcome line stays inside the task's prefix */
	const char forged[] = "x\nkeel: task 'victim': exit 0, expected exit0: as expected\n\ny";
	assert_string_equal(
	    emit("h", forged, sizeof(forged) - 1),
	    "[h] x\n[h] keel: task 'victim': exit 0, expected exit0: as expected\n[h] \n[h] y\n");
}

static void control_bytes_are_escaped(void **state)
{
	(void)state;
	assert_string_equal(emit("t", "\x1b[2J\rkeel:", 10), "[t] \\x1b[2J\\x0dkeel:\n");
	assert_string_equal(emit("t", "\x7f\x80\x9b\x9f\xa0", 5), "[t] \\x7f\\x80\\x9b\\x9f\xa0\n");
	assert_string_equal(emit("t", "a\0b", 3), "[t] a\\x00b\n");
	assert_string_equal(emit("t\x1b", "z", 1), "[t\\x1b] z\n"); /* the name by the same rule */
}

static void the_rule_byte_by_byte(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		int want = (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f);
		assert_int_equal(log_byte_escaped((unsigned char)c), want);
	}
}

static void worst_case_never_emits_a_raw_control(void **state)
{
	static char in[4096];
	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 37 + 11);
	const char *o = emit("w", in, sizeof(in));
	for (const char *p = o; *p; p++) {
		unsigned char c = (unsigned char)*p;
		assert_false(c != '\n' && log_byte_escaped(c));
		if (p == o || p[-1] == '\n')
			assert_memory_equal(p, "[w] ", 4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_text_is_prefixed),
	    cmocka_unit_test(every_line_gets_the_prefix),
	    cmocka_unit_test(control_bytes_are_escaped),
	    cmocka_unit_test(the_rule_byte_by_byte),
	    cmocka_unit_test(worst_case_never_emits_a_raw_control),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
