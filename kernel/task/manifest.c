/*
 * Boot manifest parser (docs/manifest.md): what each directive and field
 * means and which combinations are refused. How the text is cut into
 * tokens and numbers is manifest_lex.c; limits are task/limits.h.
 * Freestanding: no libc, no allocation, no floating point; it is linked
 * into the kernel, keel-hosted and igvm-build, and fuzzed
 * (tests/fuzz/manifest/).
 *
 * Two passes over the text: the first reads every `task` line (and rejects
 * unknown directives), the second every `channel` line, so a channel may
 * name a task declared further down. Every error names the line, the task
 * and the field.
 */
#include "task/manifest.h"
#include "task/manifest_lex.h"
#include "task/bundle.h" /* KEEL_BUNDLE_MANIFEST */

#include <keel/types.h>

/* "WHAT'TOK' (1-31 of CHARSET)", the length from MANIFEST_NAME_MAX. */
static int fail_name(struct mf_parser *p, const char *task, const char *what,
		     const struct mf_tok *tok, const char *charset)
{
	mf_fail(p, task, what, tok, " (1-");
	errbuf_num(&p->err, MANIFEST_NAME_MAX - 1);
	errbuf_str(&p->err, " of ");
	errbuf_str(&p->err, charset);
	errbuf_ch(&p->err, ')');
	return -1;
}

/* arg: printable ASCII; "quoted" may hold spaces; at most MANIFEST_ARG_MAX-1. */
static int set_arg(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	size_t i;
	if (v.n >= 1 && v.s[0] == '"') {
		if (v.n < 2 || v.s[v.n - 1] != '"')
			return mf_fail(p, mt->name, "arg: the quotes must enclose the whole value", 0, 0);
		v.s++;
		v.n -= 2;
	}
	for (i = 0; i < v.n; i++)
		if (v.s[i] < 0x20 || v.s[i] >= 0x7f || v.s[i] == '"')
			return mf_fail(p, mt->name, "arg: bad character in ", &v, 0);
	if (v.n >= MANIFEST_ARG_MAX)
		return mf_fail_num(p, mt->name, "arg: too long (max ", MANIFEST_ARG_MAX - 1,
				   " characters): ", &v);
	mf_tok_copy(mt->arg, v);
	return 0;
}

/* protocol=N: decimal or 0x hex, MANIFEST_PROTOCOL_MIN..MAX, one task each. */
static int set_protocol(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint64_t n;
	uint32_t i;
	if (mf_parse_num(v, &n) || n < MANIFEST_PROTOCOL_MIN || n > MANIFEST_PROTOCOL_MAX) {
		mf_fail(p, mt->name, "protocol: bad number ", &v, " (");
		errbuf_num(&p->err, MANIFEST_PROTOCOL_MIN);
		errbuf_str(&p->err, "..");
		errbuf_num(&p->err, MANIFEST_PROTOCOL_MAX);
		errbuf_str(&p->err, ", decimal or 0x hex; 0 is the kernel's core protocol)");
		return -1;
	}
	for (i = 0; i < p->m->ntasks; i++) {
		if (p->m->tasks[i].protocol == (int64_t)n) {
			struct mf_tok other = mf_tok_of(p->m->tasks[i].name);
			return mf_fail(p, mt->name, "protocol: already served by task ", &other, 0);
		}
	}
	mt->protocol = (int64_t)n;
	return 0;
}

/* buffer=RULE (svsm/buffer_rule.h): at most one rule per call. */
static int set_buffer(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	struct svsm_buffer_rule r;
	char why[96];
	uint32_t i;
	if (svsm_buffer_rule_parse(v.s, v.n, &r, why, sizeof(why))) {
		mf_fail(p, mt->name, why, 0, 0);
		return -1;
	}
	for (i = 0; i < mt->nbuffers; i++)
		if (mt->buffers[i].call == r.call)
			return mf_fail_num(p, mt->name, "buffer: call ", r.call,
					   " has a rule already: ", &v);
	if (mt->nbuffers >= MANIFEST_MAX_BUFFER_RULES)
		return mf_fail_num(p, mt->name, "buffer: too many (max ", MANIFEST_MAX_BUFFER_RULES,
				   ")", 0);
	mt->buffers[mt->nbuffers++] = r;
	return 0;
}

static int set_device(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t i;
	if (!mf_valid_name(v, 0))
		return fail_name(p, mt->name, "device: bad name ", &v, "[a-z0-9-]");
	for (i = 0; i < mt->ndevices; i++)
		if (mf_tok_eq(v, mt->devices[i]))
			return mf_fail(p, mt->name, "device: duplicate ", &v, 0);
	if (mt->ndevices >= MANIFEST_MAX_DEVICES)
		return mf_fail_num(p, mt->name, "device: too many (max ", MANIFEST_MAX_DEVICES, ")",
				   0);
	mf_tok_copy(mt->devices[mt->ndevices++], v);
	return 0;
}

static int set_cap(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t bit;
	if (mf_tok_eq(v, "attest"))
		bit = MANIFEST_CAP_ATTEST;
	else
		return mf_fail(p, mt->name, "cap: unknown capability ", &v, " (attest)");
	if (mt->caps & bit)
		return mf_fail(p, mt->name, "cap: duplicate ", &v, 0);
	mt->caps |= bit;
	return 0;
}

static int set_expect(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	if (mf_tok_eq(v, "exit0"))
		mt->expect = MANIFEST_EXPECT_EXIT0;
	else if (mf_tok_eq(v, "fault"))
		mt->expect = MANIFEST_EXPECT_FAULT;
	else if (mf_tok_eq(v, "any"))
		mt->expect = MANIFEST_EXPECT_ANY;
	else
		return mf_fail(p, mt->name, "expect: unknown value ", &v, " (exit0, fault or any)");
	return 0;
}

static int set_kind(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	uint32_t i;
	if (mf_tok_eq(v, "task")) {
		mt->kind = MANIFEST_KIND_TASK;
		return 0;
	}
	if (!mf_tok_eq(v, "guest"))
		return mf_fail(p, mt->name, "kind: unknown value ", &v, " (task or guest)");
	for (i = 0; i < p->m->ntasks; i++)
		if (p->m->tasks[i].kind == MANIFEST_KIND_GUEST)
			return mf_fail(p, mt->name, "kind: a second guest (at most one)", 0, 0);
	mt->kind = MANIFEST_KIND_GUEST;
	return 0;
}

/*
 * data=ENTRY: one read-only file from the bundle (booted) or --bin-dir
 * (hosted), e.g. a default UEFI varstore. Not the bundle's own manifest
 * entry: hosted there is no such file, and the two modes must agree.
 */
static int set_data(struct mf_parser *p, struct manifest_task *mt, struct mf_tok v)
{
	if (!mf_valid_name(v, 1))
		return fail_name(p, mt->name, "data: bad entry name ", &v,
				 "[A-Za-z0-9._-], not starting with '.'");
	if (mf_tok_eq(v, KEEL_BUNDLE_MANIFEST))
		return mf_fail(p, mt->name, "data: ", &v, " is the bundle's manifest entry, not a data file");
	mf_tok_copy(mt->data, v);
	return 0;
}

enum {
	SEEN_BINARY = 1,
	SEEN_MEMORY = 2,
	SEEN_PROTOCOL = 4,
	SEEN_EXPECT = 8,
	SEEN_ARG = 16,
	SEEN_KIND = 32,
	SEEN_DATA = 64,
};

static int set_field(struct mf_parser *p, struct manifest_task *mt, struct mf_tok t, unsigned *seen)
{
	static const char *const keys[] = {"binary", "memory", "protocol", "expect", "arg", "kind", "data"};
	struct mf_tok k, v;
	unsigned bit = 0, i;
	if (mf_split_kv(t, &k, &v))
		return mf_fail(p, mt->name, "expected key=value, got ", &t, 0);
	if (mf_tok_eq(k, "device"))
		return set_device(p, mt, v);
	if (mf_tok_eq(k, "cap"))
		return set_cap(p, mt, v);
	if (mf_tok_eq(k, "buffer"))
		return set_buffer(p, mt, v);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (mf_tok_eq(k, keys[i]))
			bit = 1u << i;
	if (!bit)
		return mf_fail(p, mt->name, "unknown field ", &k, 0);
	if (*seen & bit)
		return mf_fail(p, mt->name, "duplicate field ", &k, 0);
	*seen |= bit;
	switch (bit) {
	case SEEN_BINARY:
		if (!mf_valid_name(v, 1))
			return fail_name(p, mt->name, "binary: bad entry name ", &v,
					 "[A-Za-z0-9._-], not starting with '.'");
		mf_tok_copy(mt->binary, v);
		return 0;
	case SEEN_MEMORY:
		if (mf_parse_size(v, &mt->memory))
			return mf_fail(p, mt->name, "memory: bad size ", &v, 0);
		return 0;
	case SEEN_PROTOCOL:
		return set_protocol(p, mt, v);
	case SEEN_EXPECT:
		return set_expect(p, mt, v);
	case SEEN_KIND:
		return set_kind(p, mt, v);
	case SEEN_DATA:
		return set_data(p, mt, v);
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
	if (mf_next_tok(&cur, end, &t) != 1 || !mf_valid_name(t, 0))
		return fail_name(p, 0, "task: bad name ", &t, "[a-z0-9-]");
	for (i = 0; i < m->ntasks; i++)
		if (mf_tok_eq(t, m->tasks[i].name))
			return mf_fail(p, 0, "duplicate task ", &t, 0);
	if (m->ntasks >= MANIFEST_MAX_TASKS)
		return mf_fail_num(p, 0, "too many tasks (max ", MANIFEST_MAX_TASKS, ")", 0);
	mt = &m->tasks[m->ntasks];
	task_clear(mt);
	mf_tok_copy(mt->name, t);
	while ((r = mf_next_tok(&cur, end, &t)) == 1)
		if (set_field(p, mt, t, &seen))
			return -1;
	if (r < 0)
		return mf_fail(p, mt->name, "unterminated quote", 0, 0);
	if (!(seen & SEEN_BINARY))
		return mf_fail(p, mt->name, "missing binary=", 0, 0);
	if (!(seen & SEEN_MEMORY))
		return mf_fail(p, mt->name, "missing memory=", 0, 0);
	if (mt->kind == MANIFEST_KIND_GUEST && mt->protocol >= 0)
		return mf_fail(p, mt->name, "protocol: a guest serves no protocol", 0, 0);
	if (mt->kind == MANIFEST_KIND_GUEST && mt->data[0])
		return mf_fail(p, mt->name, "data: a guest has no data file", 0, 0);
	if (mt->nbuffers && mt->protocol < 0)
		return mf_fail(p, mt->name, "buffer: only a task with protocol= has buffer rules", 0,
			       0);
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
		return mf_fail(p, 0, "channel: expected TASK:SLOT, got ", &t, 0);
	slot.s = t.s + name.n + 1;
	slot.n = t.n - name.n - 1;
	for (k = 0; k < p->m->ntasks; k++)
		if (mf_tok_eq(name, p->m->tasks[k].name))
			ti = (int)k;
	if (ti < 0)
		return mf_fail(p, 0, "channel: unknown task ", &name, 0);
	if (mf_parse_u64(slot, &h) || h >= KEEL_MAX_HANDLES) {
		mf_fail(p, p->m->tasks[ti].name, "channel: bad slot ", &slot, " (0-");
		errbuf_num(&p->err, KEEL_MAX_HANDLES - 1);
		errbuf_ch(&p->err, ')');
		return -1;
	}
	if (p->m->tasks[ti].kind == MANIFEST_KIND_GUEST)
		return mf_fail(p, p->m->tasks[ti].name, "channel: a guest has no handles", 0, 0);
	if (p->m->tasks[ti].protocol >= 0 && h == 0)
		return mf_fail(p, p->m->tasks[ti].name, "channel: slot 0 of a protocol task is the router's",
			       0, 0);
	if (p->used[ti] & (1ull << h))
		return mf_fail(p, p->m->tasks[ti].name, "channel: slot already used: ", &slot, 0);
	p->used[ti] |= 1ull << h;
	out->task = (uint16_t)ti;
	out->handle = (uint16_t)h;
	return 0;
}

static int parse_channel(struct mf_parser *p, const char *cur, const char *end)
{
	struct manifest_channel *c;
	struct mf_tok a = {cur, 0}, b = {cur, 0}, extra = {cur, 0};
	if (mf_next_tok(&cur, end, &a) != 1 || mf_next_tok(&cur, end, &b) != 1)
		return mf_fail(p, 0, "channel: expected two ends TASK:SLOT TASK:SLOT", 0, 0);
	if (mf_next_tok(&cur, end, &extra) != 0)
		return mf_fail(p, 0, "channel: unexpected ", &extra, 0);
	if (p->m->nchannels >= MANIFEST_MAX_CHANNELS)
		return mf_fail_num(p, 0, "too many channels (max ", MANIFEST_MAX_CHANNELS, ")",
				   0);
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
		r = mf_next_tok(&cur, eol, &d);
		if (r < 0 && !channels)
			return mf_fail(p, 0, "unterminated quote", 0, 0);
		if (r == 1 && mf_tok_eq(d, "task")) {
			if (!channels && parse_task(p, cur, eol))
				return -1;
		} else if (r == 1 && mf_tok_eq(d, "channel")) {
			if (channels && parse_channel(p, cur, eol))
				return -1;
		} else if (r == 1 && !channels) {
			return mf_fail(p, 0, "unknown directive ", &d, 0);
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
		if (mf_cstr_eq(m->tasks[i].name, name))
			return (int)i;
	return -1;
}
