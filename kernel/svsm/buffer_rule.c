/*
 * Guest-buffer rules (buffer_rule.h): parsing a `buffer=` value and
 * applying the rules to a call. Freestanding: no libc, no allocation.
 */
#include <keel/svsm.h>

#include "svsm/buffer_rule.h"
#include "task/errbuf.h"

static int text_eq(const char *s, size_t n, const char *lit)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lit[i] != s[i])
			return 0;
	return lit[i] == '\0';
}

/* Decimal, or 0x hex, 32-bit; 0 on success. */
static int parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned base = 10;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
		                                    : 16;
		if (d >= base)
			return -1;
		v = v * base + d;
		if (v > 0xffffffffull)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int fail(struct errbuf *e, const char *what, const char *s, size_t n, const char *after)
{
	size_t i;
	errbuf_str(e, what);
	if (s) {
		errbuf_ch(e, '\'');
		for (i = 0; i < n && i < 40; i++)
			errbuf_ch(e, (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?');
		errbuf_str(e, n > 40 ? "...'" : "'");
	}
	if (after)
		errbuf_str(e, after);
	return -1;
}

int svsm_buffer_rule_parse(const char *text, size_t len, struct svsm_buffer_rule *out, char *err,
                           size_t errlen)
{
	struct errbuf e = {err, errlen, 0};
	const char *form = " (CALL:page or CALL:rcx+rdx:MAX)";
	size_t c1, c2;
	uint32_t call, max;
	if (err && errlen)
		err[0] = '\0';
	for (c1 = 0; c1 < len && text[c1] != ':'; c1++)
		;
	if (c1 == len)
		return fail(&e, "buffer: expected CALL:FORM, got ", text, len, form);
	if (parse_u32(text, c1, &call))
		return fail(&e, "buffer: bad call number ", text, c1,
		            " (0..4294967295, decimal or 0x hex)");
	text += c1 + 1;
	len -= c1 + 1;
	if (text_eq(text, len, "page")) {
		out->call = call;
		out->kind = SVSM_BUFFER_PAGE;
		out->max = SVSM_PAGE_SIZE;
		return 0;
	}
	for (c2 = 0; c2 < len && text[c2] != ':'; c2++)
		;
	if (!text_eq(text, c2, "rcx+rdx"))
		return fail(&e, "buffer: unknown form ", text, c2, form);
	if (c2 == len)
		return fail(&e, "buffer: rcx+rdx needs a maximum length", 0, 0,
		            " (CALL:rcx+rdx:MAX)");
	if (parse_u32(text + c2 + 1, len - c2 - 1, &max) || max == 0)
		return fail(&e, "buffer: bad MAX ", text + c2 + 1, len - c2 - 1,
		            " (1..the SVSM buffer limit)");
	if (max > SVSM_BUFFER_MAX) {
		errbuf_str(&e, "buffer: MAX ");
		errbuf_num(&e, max);
		errbuf_str(&e, " is over the SVSM buffer limit ");
		errbuf_num(&e, SVSM_BUFFER_MAX);
		return -1;
	}
	out->call = call;
	out->kind = SVSM_BUFFER_RCX_RDX;
	out->max = max;
	return 0;
}

uint32_t svsm_buffer_apply(const struct svsm_buffer_rule *rules, size_t n, uint32_t call,
                           const struct svsm_regs *regs, struct svsm_buffer *out)
{
	const struct svsm_buffer_rule *r = 0;
	size_t i;
	out->gpa = 0;
	out->len = 0;
	for (i = 0; i < n && !r; i++)
		if (rules[i].call == call)
			r = &rules[i];
	if (!r || r->kind == SVSM_BUFFER_NONE)
		return SVSM_SUCCESS;
	if (r->kind == SVSM_BUFFER_PAGE) {
		if (regs->rcx % SVSM_PAGE_SIZE)
			return SVSM_ERR_INVALID_ADDRESS;
		out->gpa = regs->rcx;
		out->len = SVSM_PAGE_SIZE;
	} else {
		if (regs->rdx == 0 || regs->rdx > r->max)
			return SVSM_ERR_INVALID_PARAMETER;
		out->gpa = regs->rcx;
		out->len = (uint32_t)regs->rdx;
	}
	if (out->gpa > UINT64_MAX - out->len) { /* wraps: no guest memory there */
		out->gpa = 0;
		out->len = 0;
		return SVSM_ERR_INVALID_ADDRESS;
	}
	return SVSM_SUCCESS;
}
