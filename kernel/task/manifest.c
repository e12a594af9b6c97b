/*
 * Boot manifest parser (docs/manifest.md). Freestanding: no libc, no
 * allocation, no floating point; it is linked into the kernel, keel-hosted
 * and igvm-build, and fuzzed (tests/fuzz/manifest/).
 *
 * Two passes over the text: the first reads every `task` line (and rejects
 * unknown directives), the second every `channel` line, so a channel may
 * name a task declared further down. Every error names the line, the task
 * and the field.
 */
#include "task/manifest.h"
#include "task/errbuf.h"

#include <keel/types.h>

struct mf_tok {
	const char *s;
	size_t n;
};

struct mf_parser {
	struct manifest *m;
	struct errbuf err;
	uint32_t line;
	uint64_t used[MANIFEST_MAX_TASKS]; /* handle slots taken, per task */
};

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

/* Writes "manifest line N: [task 'T': ]WHAT['TOK'][AFTER]" and returns -1. */
static int fail(struct mf_parser *p, const char *task, const char *what, const struct mf_tok *tok,
		const char *after)
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
	errbuf_str(e, what);
	if (tok)
		err_tok(e, *tok);
	if (after)
		errbuf_str(e, after);
	return -1;
}

static int tok_eq(struct mf_tok t, const char *s)
{
	size_t i;
	for (i = 0; i < t.n; i++)
		if (s[i] == '\0' || s[i] != t.s[i]) /* a NUL in the token never matches */
			return 0;
	return s[i] == '\0';
}

static int cstr_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static void tok_copy(char *dst, struct mf_tok t)
{
	size_t i;
	for (i = 0; i < t.n; i++)
		dst[i] = t.s[i];
	dst[i] = '\0';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Next whitespace-separated token of [*cur, end). A `#` outside quotes ends
 * the line; `"` starts a quoted run that may hold spaces. Returns 1 with a
 * token, 0 at the end of the line, -1 on an unterminated quote.
 */
static int next_tok(const char **cur, const char *end, struct mf_tok *t)
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

/*
 * Task and device names: 1-31 of [a-z0-9-]. Binaries (bundle entry names,
 * and file names under build/hosted/) may also use [A-Z_.] but may not
 * start with '.', so no "..", no '/'.
 */
static int valid_name(struct mf_tok t, int binary)
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

/* Decimal digits only, no sign; 0 on success. */
static int parse_u64(struct mf_tok t, uint64_t *out)
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

/* SIZE = digits [K|M|G], rounded up to 4 KiB; 0 and overflow rejected. */
static int parse_size(struct mf_tok t, uint64_t *out)
{
	uint64_t v, shift = 0;
	if (t.n > 0) {
		char s = t.s[t.n - 1];
		shift = s == 'K' ? 10 : s == 'M' ? 20 : s == 'G' ? 30 : 0;
		if (shift)
			t.n--;
	}
	if (parse_u64(t, &v) || v == 0 || v > (UINT64_MAX >> shift))
		return -1;
	v <<= shift;
	if (v > UINT64_MAX - 4095)
		return -1;
	*out = (v + 4095) & ~(uint64_t)4095;
	return 0;
}

/* Splits "key=value"; -1 if there is no '='. */
static int split_kv(struct mf_tok t, struct mf_tok *k, struct mf_tok *v)
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

/* arg: printable ASCII; "quoted" may hold spaces; at most MANIFEST_ARG_MAX-1. */
static int set_arg(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	size_t i;
	if (v.n >= 1 && v.s[0] == '"') {
		if (v.n < 2 || v.s[v.n - 1] != '"')
			return fail(p, mt->name, "arg: the quotes must enclose the whole value", 0, 0);
		v.s++;
		v.n -= 2;
	}
	for (i = 0; i < v.n; i++)
		if (v.s[i] < 0x20 || v.s[i] >= 0x7f || v.s[i] == '"')
			return fail(p, mt->name, "arg: bad character in ", &v, 0);
	if (v.n >= MANIFEST_ARG_MAX)
		return fail(p, mt->name, "arg: too long (max 63 characters): ", &v, 0);
	tok_copy(mt->arg, v);
	return 0;
}

static int set_protocol(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint64_t n;
	uint32_t i;
	if (parse_u64(v, &n) || n == 0 || n > 0x7fffffff)
		return fail(p, mt->name, "protocol: bad number ", &v,
			    " (1..2147483647; 0 is the kernel's core protocol)");
	for (i = 0; i < p->m->ntasks; i++) {
		if (p->m->tasks[i].protocol == (int32_t)n) {
			struct mf_tok other = {p->m->tasks[i].name, 0};
			while (other.s[other.n])
				other.n++;
			return fail(p, mt->name, "protocol: already served by task ", &other, 0);
		}
	}
	mt->protocol = (int32_t)n;
	return 0;
}

static int set_device(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t i;
	if (!valid_name(v, 0))
		return fail(p, mt->name, "device: bad name ", &v, " (1-31 of [a-z0-9-])");
	for (i = 0; i < mt->ndevices; i++)
		if (tok_eq(v, mt->devices[i]))
			return fail(p, mt->name, "device: duplicate ", &v, 0);
	if (mt->ndevices >= MANIFEST_MAX_DEVICES)
		return fail(p, mt->name, "device: too many (max 8)", 0, 0);
	tok_copy(mt->devices[mt->ndevices++], v);
	return 0;
}

static int set_cap(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t bit;
	if (tok_eq(v, "attest"))
		bit = MANIFEST_CAP_ATTEST;
	else
		return fail(p, mt->name, "cap: unknown capability ", &v, " (attest)");
	if (mt->caps & bit)
		return fail(p, mt->name, "cap: duplicate ", &v, 0);
	mt->caps |= bit;
	return 0;
}

static int set_expect(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	if (tok_eq(v, "exit0"))
		mt->expect = MANIFEST_EXPECT_EXIT0;
	else if (tok_eq(v, "fault"))
		mt->expect = MANIFEST_EXPECT_FAULT;
	else if (tok_eq(v, "any"))
		mt->expect = MANIFEST_EXPECT_ANY;
	else
		return fail(p, mt->name, "expect: unknown value ", &v, " (exit0, fault or any)");
	return 0;
}

static int set_kind(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t i;
	if (tok_eq(v, "task")) {
		mt->kind = MANIFEST_KIND_TASK;
		return 0;
	}
	if (!tok_eq(v, "guest"))
		return fail(p, mt->name, "kind: unknown value ", &v, " (task or guest)");
	for (i = 0; i < p->m->ntasks; i++)
		if (p->m->tasks[i].kind == MANIFEST_KIND_GUEST)
			return fail(p, mt->name, "kind: a second guest (at most one)", 0, 0);
	mt->kind = MANIFEST_KIND_GUEST;
	return 0;
}

enum { SEEN_BINARY = 1, SEEN_MEMORY = 2, SEEN_PROTOCOL = 4, SEEN_EXPECT = 8, SEEN_ARG = 16, SEEN_KIND = 32 };

static int set_field(struct mf_parser *p, struct manifest_task *mt, struct mf_tok t, unsigned *seen)
{
	static const char *const keys[] = {"binary", "memory", "protocol", "expect", "arg", "kind"};
	struct mf_tok k, v;
	unsigned bit = 0, i;
	if (split_kv(t, &k, &v))
		return fail(p, mt->name, "expected key=value, got ", &t, 0);
	if (tok_eq(k, "device"))
		return set_device(p, mt, v);
	if (tok_eq(k, "cap"))
		return set_cap(p, mt, v);
	for (i = 0; i < 6; i++)
		if (tok_eq(k, keys[i]))
			bit = 1u << i;
	if (!bit)
		return fail(p, mt->name, "unknown field ", &k, 0);
	if (*seen & bit)
		return fail(p, mt->name, "duplicate field ", &k, 0);
	*seen |= bit;
	switch (bit) {
	case SEEN_BINARY:
		if (!valid_name(v, 1))
			return fail(p, mt->name, "binary: bad entry name ", &v,
				    " (1-31 of [A-Za-z0-9._-], not starting with '.')");
		tok_copy(mt->binary, v);
		return 0;
	case SEEN_MEMORY:
		if (parse_size(v, &mt->memory))
			return fail(p, mt->name, "memory: bad size ", &v, 0);
		return 0;
	case SEEN_PROTOCOL:
		return set_protocol(p, mt, v);
	case SEEN_EXPECT:
		return set_expect(p, mt, v);
	case SEEN_KIND:
		return set_kind(p, mt, v);
	default:
		return set_arg(p, mt, v);
	}
}

static void task_clear(struct manifest_task *mt)
{
	volatile uint8_t *b = (volatile uint8_t *)mt; /* no memset in the kernel build */
	size_t i;
	for (i = 0; i < sizeof(*mt); i++)
		b[i] = 0;
	mt->protocol = -1;
}

static int parse_task(struct mf_parser *p, const char *cur, const char *end)
{
	struct manifest *m = p->m;
	struct manifest_task *mt;
	struct mf_tok t = {cur, 0};
	unsigned seen = 0;
	uint32_t i;
	int r;
	if (next_tok(&cur, end, &t) != 1 || !valid_name(t, 0))
		return fail(p, 0, "task: bad name ", &t, " (1-31 of [a-z0-9-])");
	for (i = 0; i < m->ntasks; i++)
		if (tok_eq(t, m->tasks[i].name))
			return fail(p, 0, "duplicate task ", &t, 0);
	if (m->ntasks >= MANIFEST_MAX_TASKS)
		return fail(p, 0, "too many tasks (max 16)", 0, 0);
	mt = &m->tasks[m->ntasks];
	task_clear(mt);
	tok_copy(mt->name, t);
	while ((r = next_tok(&cur, end, &t)) == 1)
		if (set_field(p, mt, t, &seen))
			return -1;
	if (r < 0)
		return fail(p, mt->name, "unterminated quote", 0, 0);
	if (!(seen & SEEN_BINARY))
		return fail(p, mt->name, "missing binary=", 0, 0);
	if (!(seen & SEEN_MEMORY))
		return fail(p, mt->name, "missing memory=", 0, 0);
	if (mt->kind == MANIFEST_KIND_GUEST && mt->protocol >= 0)
		return fail(p, mt->name, "protocol: a guest serves no protocol", 0, 0);
	m->ntasks++;
	return 0;
}

/* One end "TASK:SLOT": resolves the task and claims the slot. */
static int parse_end(struct mf_parser *p, struct mf_tok t, struct manifest_end *out)
{
	struct mf_tok name = {t.s, 0}, slot;
	uint64_t h;
	uint32_t k;
	int ti = -1;
	while (name.n < t.n && t.s[name.n] != ':')
		name.n++;
	if (name.n == t.n)
		return fail(p, 0, "channel: expected TASK:SLOT, got ", &t, 0);
	slot.s = t.s + name.n + 1;
	slot.n = t.n - name.n - 1;
	for (k = 0; k < p->m->ntasks; k++)
		if (tok_eq(name, p->m->tasks[k].name))
			ti = (int)k;
	if (ti < 0)
		return fail(p, 0, "channel: unknown task ", &name, 0);
	if (parse_u64(slot, &h) || h >= KEEL_MAX_HANDLES)
		return fail(p, p->m->tasks[ti].name, "channel: bad slot ", &slot, " (0-63)");
	if (p->m->tasks[ti].kind == MANIFEST_KIND_GUEST)
		return fail(p, p->m->tasks[ti].name, "channel: a guest has no handles", 0, 0);
	if (p->m->tasks[ti].protocol >= 0 && h == 0)
		return fail(p, p->m->tasks[ti].name, "channel: slot 0 of a protocol task is the router's",
			    0, 0);
	if (p->used[ti] & (1ull << h))
		return fail(p, p->m->tasks[ti].name, "channel: slot already used: ", &slot, 0);
	p->used[ti] |= 1ull << h;
	out->task = (uint16_t)ti;
	out->handle = (uint16_t)h;
	return 0;
}

static int parse_channel(struct mf_parser *p, const char *cur, const char *end)
{
	struct manifest_channel *c;
	struct mf_tok a = {cur, 0}, b = {cur, 0}, extra = {cur, 0};
	if (next_tok(&cur, end, &a) != 1 || next_tok(&cur, end, &b) != 1)
		return fail(p, 0, "channel: expected two ends TASK:SLOT TASK:SLOT", 0, 0);
	if (next_tok(&cur, end, &extra) != 0)
		return fail(p, 0, "channel: unexpected ", &extra, 0);
	if (p->m->nchannels >= MANIFEST_MAX_CHANNELS)
		return fail(p, 0, "too many channels (max 64)", 0, 0);
	c = &p->m->channels[p->m->nchannels];
	if (parse_end(p, a, &c->a) || parse_end(p, b, &c->b))
		return -1;
	p->m->nchannels++;
	return 0;
}

/* Pass 1 (channels = 0) reads task lines, pass 2 channel lines. */
static int parse_pass(struct mf_parser *p, const char *text, size_t len, int channels)
{
	const char *line = text, *end = text + len;
	for (p->line = 1; line < end; p->line++) {
		const char *eol = line, *cur = line;
		struct mf_tok d = {line, 0};
		int r;
		while (eol < end && *eol != '\n')
			eol++;
		r = next_tok(&cur, eol, &d);
		if (r < 0 && !channels)
			return fail(p, 0, "unterminated quote", 0, 0);
		if (r == 1 && tok_eq(d, "task")) {
			if (!channels && parse_task(p, cur, eol))
				return -1;
		} else if (r == 1 && tok_eq(d, "channel")) {
			if (channels && parse_channel(p, cur, eol))
				return -1;
		} else if (r == 1 && !channels) {
			return fail(p, 0, "unknown directive ", &d, 0);
		}
		line = eol < end ? eol + 1 : eol;
	}
	return 0;
}

int manifest_parse(struct manifest *m, const char *text, size_t len, char *err, size_t err_len)
{
	struct mf_parser p;
	uint32_t i;
	p.m = m;
	p.err.buf = err;
	p.err.cap = err_len;
	p.err.len = 0;
	p.line = 0;
	if (err && err_len)
		err[0] = '\0';
	for (i = 0; i < MANIFEST_MAX_TASKS; i++)
		p.used[i] = 0;
	m->ntasks = 0;
	m->nchannels = 0;
	if (!text)
		len = 0;
	if (parse_pass(&p, text, len, 0) || parse_pass(&p, text, len, 1))
		return -1;
	if (m->ntasks == 0) {
		errbuf_str(&p.err, "manifest: no tasks");
		return -1;
	}
	return 0;
}

int manifest_find_task(const struct manifest *m, const char *name)
{
	uint32_t i;
	for (i = 0; i < m->ntasks && i < MANIFEST_MAX_TASKS; i++)
		if (cstr_eq(m->tasks[i].name, name))
			return (int)i;
	return -1;
}
