/*
 * The manifest's lexical layer (manifest_lex.h): tokens, names, numbers,
 * and error messages. Freestanding like manifest.c.
 */
#include "task/manifest_lex.h"

/* A token from the input, quoted, shortened and with non-printables as '?'. */
static void err_tok(struct errbuf *e, struct mf_tok t)
{
	size_t i;
	errbuf_ch(e, '\'');
	for (i = 0; i < t.n && i < 40; i++)
		errbuf_ch(e, (t.s[i] >= 0x20 && t.s[i] < 0x7f) ? t.s[i] : '?');
	if (t.n > 40)
		errbuf_str(e, "...");
	errbuf_ch(e, '\'');
}

static void fail_start(struct mf_parser *p, const char *task)
{
	struct errbuf *e = &p->err;
	e->len = 0;
	if (e->buf && e->cap)
		e->buf[0] = '\0';
	errbuf_str(e, "manifest line ");
	errbuf_num(e, p->line);
	errbuf_str(e, ": ");
	if (task) {
		errbuf_str(e, "task '");
		errbuf_str(e, task);
		errbuf_str(e, "': ");
	}
}

int mf_fail(struct mf_parser *p, const char *task, const char *what, const struct mf_tok *tok,
            const char *after)
{
	fail_start(p, task);
	errbuf_str(&p->err, what);
	if (tok)
		err_tok(&p->err, *tok);
	if (after)
		errbuf_str(&p->err, after);
	return -1;
}

int mf_fail_num(struct mf_parser *p, const char *task, const char *what, uint64_t n,
                const char *after, const struct mf_tok *tok)
{
	fail_start(p, task);
	errbuf_str(&p->err, what);
	errbuf_num(&p->err, n);
	if (after)
		errbuf_str(&p->err, after);
	if (tok)
		err_tok(&p->err, *tok);
	return -1;
}

int mf_tok_eq(struct mf_tok t, const char *s)
{
	size_t i;
	for (i = 0; i < t.n; i++)
		if (s[i] == '\0' || s[i] != t.s[i]) /* a NUL in the token never matches */
			return 0;
	return s[i] == '\0';
}

int mf_cstr_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void mf_tok_copy(char *dst, struct mf_tok t)
{
	size_t i;
	for (i = 0; i < t.n; i++)
		dst[i] = t.s[i];
	dst[i] = '\0';
}

struct mf_tok mf_tok_of(const char *s)
{
	struct mf_tok t = {s, 0};
	while (s[t.n])
		t.n++;
	return t;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int mf_next_tok(const char **cur, const char *end, struct mf_tok *t)
{
	const char *c = *cur;
	int quoted = 0;
	while (c < end && is_space(*c))
		c++;
	if (c == end || *c == '#')
		return 0;
	t->s = c;
	for (; c < end; c++) {
		if (*c == '"')
			quoted = !quoted;
		else if (!quoted && (is_space(*c) || *c == '#'))
			break;
	}
	t->n = (size_t)(c - t->s);
	*cur = c;
	return quoted ? -1 : 1;
}

int mf_valid_name(struct mf_tok t, int binary)
{
	size_t i;
	if (t.n == 0 || t.n >= MANIFEST_NAME_MAX || t.s[0] == '.')
		return 0;
	for (i = 0; i < t.n; i++) {
		char c = t.s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
		if (!ok && !(binary && ((c >= 'A' && c <= 'Z') || c == '_' || c == '.')))
			return 0;
	}
	return 1;
}

int mf_parse_u64(struct mf_tok t, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (t.n == 0)
		return -1;
	for (i = 0; i < t.n; i++) {
		uint64_t d = (uint64_t)(t.s[i] - '0');
		if (t.s[i] < '0' || t.s[i] > '9' || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int mf_parse_num(struct mf_tok t, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	if (t.n < 2 || t.s[0] != '0' || (t.s[1] != 'x' && t.s[1] != 'X'))
		return mf_parse_u64(t, out);
	if (t.n == 2 || t.n > 18)
		return -1; /* at most 16 hex digits */
	for (i = 2; i < t.n; i++) {
		char c = t.s[i];
		uint64_t d = c >= '0' && c <= '9'   ? (uint64_t)(c - '0')
		             : c >= 'a' && c <= 'f' ? (uint64_t)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (uint64_t)(c - 'A' + 10)
		                                    : 16;
		if (d == 16)
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int mf_parse_size(struct mf_tok t, uint64_t *out)
{
	uint64_t v, shift = 0;
	if (t.n > 0) {
		char s = t.s[t.n - 1];
		shift = s == 'K' ? 10 : s == 'M' ? 20 : s == 'G' ? 30 : 0;
		if (shift)
			t.n--;
	}
	if (mf_parse_u64(t, &v) || v == 0 || v > (UINT64_MAX >> shift))
		return -1;
	v <<= shift;
	if (v > UINT64_MAX - 4095)
		return -1;
	*out = (v + 4095) & ~(uint64_t)4095;
	return 0;
}

int mf_split_kv(struct mf_tok t, struct mf_tok *k, struct mf_tok *v)
{
	size_t i;
	for (i = 0; i < t.n && t.s[i] != '='; i++)
		;
	if (i == t.n)
		return -1;
	k->s = t.s;
	k->n = i;
	v->s = t.s + i + 1;
	v->n = t.n - i - 1;
	return 0;
}
