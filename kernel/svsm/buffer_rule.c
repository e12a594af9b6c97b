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

/* The pairs of one descriptor may not share bytes (each names one buffer). */
static int pairs_overlap(const struct svsm_buffer_rule *r, uint32_t off)
{
	for (uint32_t i = 0; i < r->nsegs; i++)
		if (off < r->off[i] + SVSM_BUFFER_PAIR_SIZE && r->off[i] < off + SVSM_BUFFER_PAIR_SIZE)
			return 1;
	return 0;
}

/* "SIZE@OFF,OFF,...": the value after `rcx-desc:`. */
static int parse_desc(struct errbuf *e, const char *s, size_t n, struct svsm_buffer_rule *r)
{
	const char *form = " (CALL:rcx-desc:SIZE@OFF,OFF,...)";
	size_t at, i, j;
	uint32_t v;
	for (at = 0; at < n && s[at] != '@'; at++)
		;
	if (at == n)
		return fail(e, "buffer: rcx-desc needs SIZE@OFFSETS, got ", s, n, form);
	if (parse_u32(s, at, &v) || v == 0 || v > SVSM_BUFFER_DESC_MAX)
		return fail(e, "buffer: bad descriptor SIZE ", s, at, " (1..4096)");
	r->max = v;
	r->nsegs = 0;
	for (i = at + 1; i <= n; i = j + 1) {
		for (j = i; j < n && s[j] != ','; j++)
			;
		if (parse_u32(s + i, j - i, &v) || r->max < SVSM_BUFFER_PAIR_SIZE ||
		    v > r->max - SVSM_BUFFER_PAIR_SIZE)
			return fail(e, "buffer: bad offset ", s + i, j - i,
			            " (a {u64 gpa, u32 size} pair must fit in SIZE)");
		if (r->nsegs == SVSM_BUFFER_MAX_SEGS)
			return fail(e, "buffer: more than 4 offsets in ", s, n, form);
		if (pairs_overlap(r, v))
			return fail(e, "buffer: overlapping pairs at offset ", s + i, j - i, form);
		r->off[r->nsegs++] = (uint16_t)v;
	}
	return 0;
}

int svsm_buffer_rule_parse(const char *text, size_t len, struct svsm_buffer_rule *out, char *err,
                           size_t errlen)
{
	struct errbuf e = {err, errlen, 0};
	const char *form = " (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)";
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
	if (c2 < len && text_eq(text, c2, "rcx-desc")) {
		struct svsm_buffer_rule r = {call, SVSM_BUFFER_DESC, 0, 0, {0}};
		if (parse_desc(&e, text + c2 + 1, len - c2 - 1, &r))
			return -1;
		*out = r;
		return 0;
	}
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
	out->rule = 0;
	for (i = 0; i < n && !r; i++)
		if (rules[i].call == call)
			r = &rules[i];
	if (!r || r->kind == SVSM_BUFFER_NONE)
		return SVSM_SUCCESS;
	if (r->kind == SVSM_BUFFER_DESC) {
		out->gpa = regs->rcx;
		out->len = r->max;
	} else if (r->kind == SVSM_BUFFER_PAGE) {
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
	out->rule = r;
	return SVSM_SUCCESS;
}

uint32_t svsm_buffer_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)svsm_buffer_le32(p) | (uint64_t)svsm_buffer_le32(p + 4) << 32;
}

/* [a, a+alen) and [b, b+blen) share a byte (neither wraps: checked before). */
static int ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

uint32_t svsm_buffer_desc_segments(const struct svsm_buffer_rule *rule, const uint8_t *desc,
                                   uint64_t desc_gpa, struct svsm_segment *segs)
{
	uint64_t total = rule->max;
	uint32_t i, j;
	for (i = 0; i < rule->nsegs; i++) {
		segs[i].gpa = le64(desc + rule->off[i]);
		segs[i].len = svsm_buffer_le32(desc + rule->off[i] + 8);
		if (!segs[i].len)
			continue;
		total += segs[i].len; /* <= 2^32 * 5: no u64 overflow */
		if (total > SVSM_DESC_TOTAL_MAX)
			return SVSM_ERR_INVALID_PARAMETER;
		if (segs[i].gpa > UINT64_MAX - segs[i].len)
			return SVSM_ERR_INVALID_ADDRESS;
	}
	/* Overlap would make the copy-back order matter: refuse it. */
	for (i = 0; i < rule->nsegs; i++) {
		if (ranges_overlap(segs[i].gpa, segs[i].len, desc_gpa, rule->max))
			return SVSM_ERR_INVALID_PARAMETER;
		for (j = 0; j < i; j++)
			if (ranges_overlap(segs[i].gpa, segs[i].len, segs[j].gpa, segs[j].len))
				return SVSM_ERR_INVALID_PARAMETER;
	}
	return SVSM_SUCCESS;
}
