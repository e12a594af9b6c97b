/*
 * Guest-buffer rules as data (docs/svsm-routing.md, step 1; docs/manifest.md,
 * `buffer=`): the manifest line of a task serving an SVSM protocol says, per
 * call, which registers name the guest buffer. One module, pure and
 * freestanding, built into the kernel router, keel-hosted, igvm-build and
 * the host tests from this source, so booted and hosted agree.
 *
 *   buffer=CALL:page          RCX = GPA of one 4 KiB page, page aligned
 *   buffer=CALL:rcx+rdx:MAX   RCX = GPA, RDX = length, 1..MAX bytes
 *
 * A call with no rule takes no buffer. MAX <= SVSM_BUFFER_MAX.
 */
#ifndef KEEL_SVSM_BUFFER_RULE_H
#define KEEL_SVSM_BUFFER_RULE_H

#include <stddef.h>
#include <stdint.h>

#include "svsm/call.h"
#include "task/limits.h"

enum svsm_buffer_kind {
	SVSM_BUFFER_NONE = 0, /* the call takes no buffer (no rule) */
	SVSM_BUFFER_PAGE,     /* CALL:page */
	SVSM_BUFFER_RCX_RDX,  /* CALL:rcx+rdx:MAX */
};

struct svsm_buffer_rule {
	uint32_t call; /* RAX[31:0] */
	uint32_t kind; /* enum svsm_buffer_kind */
	uint32_t max;  /* SVSM_BUFFER_RCX_RDX: largest RDX accepted; PAGE: 4096 */
};

/* What a rule made of one call's registers. */
struct svsm_buffer {
	uint64_t gpa;
	uint32_t len; /* 0 = the call takes no buffer */
};

/*
 * Parse the value of one `buffer=` field: `len` bytes at `text`, not
 * NUL-terminated ("1:page", "7:rcx+rdx:4096"). Returns 0 and *out, or -1
 * with a message in `err` (NUL-terminated, truncated to `errlen`) that
 * names the bad part and the accepted forms or limit, e.g.
 * "MAX 70000 is over the SVSM buffer limit 65496".
 */
int svsm_buffer_rule_parse(const char *text, size_t len, struct svsm_buffer_rule *out, char *err,
                           size_t errlen);

/*
 * The buffer of `call` under `rules[0..n)`: SVSM_SUCCESS and *out (len 0 if
 * no rule names the call), or the SVSM_ERR_* the guest gets: a misaligned
 * page SVSM_ERR_INVALID_ADDRESS, RDX 0 or above MAX
 * SVSM_ERR_INVALID_PARAMETER, a range that wraps past 2^64
 * SVSM_ERR_INVALID_ADDRESS. Whether the range is guest memory is the
 * caller's check.
 */
uint32_t svsm_buffer_apply(const struct svsm_buffer_rule *rules, size_t n, uint32_t call,
                           const struct svsm_regs *regs, struct svsm_buffer *out);

#endif
