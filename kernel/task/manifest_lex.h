/*
 * How the manifest parser reads text (manifest_lex.c): tokens, names,
 * numbers, key=value, and the one error format. Private to
 * kernel/task/manifest*.c; what a field means is manifest.c's business.
 */
#ifndef KEEL_MANIFEST_LEX_H
#define KEEL_MANIFEST_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "task/errbuf.h"
#include "task/manifest.h"

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

/* Writes "manifest line N: [task 'T': ]WHAT['TOK'][AFTER]" and returns -1. */
int mf_fail(struct mf_parser *p, const char *task, const char *what, const struct mf_tok *tok,
            const char *after);
/* With a number: "...WHAT N AFTER['TOK']" (limits in messages come from limits.h). */
int mf_fail_num(struct mf_parser *p, const char *task, const char *what, uint64_t n,
                const char *after, const struct mf_tok *tok);

int mf_tok_eq(struct mf_tok t, const char *s);
int mf_cstr_eq(const char *a, const char *b);
void mf_tok_copy(char *dst, struct mf_tok t);
/* A NUL-terminated string as a token. */
struct mf_tok mf_tok_of(const char *s);

/*
 * Next whitespace-separated token of [*cur, end). A `#` outside quotes ends
 * the line; `"` starts a quoted run that may hold spaces. Returns 1 with a
 * token, 0 at the end of the line, -1 on an unterminated quote.
 */
int mf_next_tok(const char **cur, const char *end, struct mf_tok *t);

/*
 * Task and device names: 1..MANIFEST_NAME_MAX-1 of [a-z0-9-]. Binaries
 * (bundle entry names, and file names under build/hosted/) may also use
 * [A-Z_.] but may not start with '.', so no "..", no '/'.
 */
int mf_valid_name(struct mf_tok t, int binary);
/* Decimal digits only, no sign; 0 on success. */
int mf_parse_u64(struct mf_tok t, uint64_t *out);
/* Decimal, or 0x followed by hex digits; 0 on success. */
int mf_parse_num(struct mf_tok t, uint64_t *out);
/* SIZE = digits [K|M|G], rounded up to 4 KiB; 0 and overflow rejected. */
int mf_parse_size(struct mf_tok t, uint64_t *out);
/* Splits "key=value"; -1 if there is no '='. */
int mf_split_kv(struct mf_tok t, struct mf_tok *k, struct mf_tok *v);

#endif
