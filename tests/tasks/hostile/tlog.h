/*
 * Tiny logging and checking helpers for the test tasks (hostile, victim,
 * bench). They format numbers themselves and write through keel_log only,
 * so a test task depends on nothing but syscall.h and memcpy/strlen.
 */
#ifndef KEEL_TESTS_TLOG_H
#define KEEL_TESTS_TLOG_H

#include <stdint.h>
#include <stddef.h>

/* A line is built in a fixed buffer and written with one keel_log call. */
struct tline {
	char buf[256];
	size_t len;
};

void tl_init(struct tline *l, const char *prefix);
void tl_str(struct tline *l, const char *s);
void tl_dec(struct tline *l, int64_t v);
void tl_udec(struct tline *l, uint64_t v);
void tl_hex(struct tline *l, uint64_t v);
void tl_emit(struct tline *l);

/* One-liners: "PREFIX: TEXT". */
void tlog(const char *prefix, const char *text);

/* The name every check line starts with ("hostile bad-pointers"). */
extern const char *tcheck_prefix;
/* Number of failed checks so far. */
extern int tcheck_failures;

/*
 * Prints "PREFIX: ok - WHAT (got G)" or "PREFIX: FAIL - WHAT: got G, want W"
 * and counts failures. Returns 1 when got == want.
 */
int tcheck_eq(const char *what, long got, long want);
/* Same, passing when got is either of two acceptable values. */
int tcheck_either(const char *what, long got, long want1, long want2);
/* Same, passing when got is any of the n values in want[]. */
int tcheck_oneof(const char *what, long got, const long *want, int n);
/* Records an outcome that is not a comparison. */
int tcheck_true(const char *what, int cond);

/* Exits 0 when no check failed, 1 otherwise, after a summary line. */
_Noreturn void tcheck_finish(void);

#endif
