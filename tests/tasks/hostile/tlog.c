/* Logging helpers for the test tasks; see tlog.h. */
#include "tlog.h"

#include <string.h>

#include <keel/syscall.h>

const char *tcheck_prefix = "test";
int tcheck_failures;

void tl_init(struct tline *l, const char *prefix)
{
	l->len = 0;
	tl_str(l, prefix);
	tl_str(l, ": ");
}

void tl_str(struct tline *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

void tl_udec(struct tline *l, uint64_t v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0 && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = tmp[--i];
}

void tl_dec(struct tline *l, int64_t v)
{
	if (v < 0) {
		tl_str(l, "-");
		tl_udec(l, (uint64_t)0 - (uint64_t)v);
	} else {
		tl_udec(l, (uint64_t)v);
	}
}

void tl_hex(struct tline *l, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	tl_str(l, "0x");
	while (shift > 0 && ((v >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4) {
		if (l->len < sizeof(l->buf) - 1)
			l->buf[l->len++] = digits[(v >> shift) & 0xf];
	}
}

void tl_emit(struct tline *l)
{
	l->buf[l->len++] = '\n';
	keel_log(l->buf, l->len);
}

void tlog(const char *prefix, const char *text)
{
	struct tline l;

	tl_init(&l, prefix);
	tl_str(&l, text);
	tl_emit(&l);
}

static int report(const char *what, int pass, long got, long want)
{
	struct tline l;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, pass ? "ok - " : "FAIL - ");
	tl_str(&l, what);
	tl_str(&l, pass ? " (got " : ": got ");
	tl_dec(&l, got);
	if (!pass) {
		tl_str(&l, ", want ");
		tl_dec(&l, want);
	}
	if (pass)
		tl_str(&l, ")");
	tl_emit(&l);
	if (!pass)
		tcheck_failures++;
	return pass;
}

int tcheck_eq(const char *what, long got, long want)
{
	return report(what, got == want, got, want);
}

int tcheck_either(const char *what, long got, long want1, long want2)
{
	return report(what, got == want1 || got == want2, got, want1);
}

int tcheck_oneof(const char *what, long got, const long *want, int n)
{
	int pass = 0;

	for (int i = 0; i < n; i++)
		pass |= got == want[i];
	return report(what, pass, got, want[0]);
}

int tcheck_true(const char *what, int cond)
{
	struct tline l;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, cond ? "ok - " : "FAIL - ");
	tl_str(&l, what);
	tl_emit(&l);
	if (!cond)
		tcheck_failures++;
	return cond;
}

_Noreturn void tcheck_finish(void)
{
	struct tline l;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, tcheck_failures ? "FAILED " : "PASSED, ");
	tl_dec(&l, tcheck_failures);
	tl_str(&l, " failed checks");
	tl_emit(&l);
	keel_exit(tcheck_failures ? 1 : 0);
}
