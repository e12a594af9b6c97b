/*
 * Guest-buffer rules as data (docs/svsm-routing.md, step 1; docs/manifest.md,
 * `buffer=`): the manifest line of a task serving an SVSM protocol says, per
 * call, which registers name the guest buffer. One module, pure and
 * freestanding, built into the kernel router, keel-hosted, igvm-build and
 * the host tests from this source, so booted and hosted agree.
 *
 *   buffer=CALL:page          RCX = GPA of one 4 KiB page, page aligned
 *   buffer=CALL:rcx+rdx:MAX   RCX = GPA, RDX = length, 1..MAX bytes
 *   buffer=CALL:rcx-desc:SIZE@OFF,OFF,...
 *                             RCX = GPA of a SIZE-byte descriptor; at each
 *                             OFF sits {u64 gpa; u32 size} (little-endian)
 *                             naming one more guest buffer (size 0: none)
 *
 * A call with no rule takes no buffer. MAX <= SVSM_BUFFER_MAX (256 KiB,
 * moved in parts above one message); a descriptor and its buffers together
 * <= SVSM_DESC_TOTAL_MAX (65496, one message).
 *
 * rcx-desc on the wire (docs/svsm-routing.md): the service's buffer is the
 * descriptor followed by each named buffer, in OFF order, absent ones
 * taking no bytes. Its reply gives back the whole layout (buf_len equal to
 * the request's) or nothing; in the reply's descriptor the u32 at OFF+8 is
 * the length to copy back to that buffer (<= its size). The descriptor
 * itself is never written back.
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
	SVSM_BUFFER_DESC,     /* CALL:rcx-desc:SIZE@OFF,... */
};

/* rcx-desc: at most this many buffers named by one descriptor. */
#define SVSM_BUFFER_MAX_SEGS 4u
/* rcx-desc: the largest descriptor (a guest structure, not a data buffer). */
#define SVSM_BUFFER_DESC_MAX 4096u
/* rcx-desc: one {u64 gpa; u32 size} pair in the descriptor. */
#define SVSM_BUFFER_PAIR_SIZE 12u

struct svsm_buffer_rule {
	uint32_t call;  /* RAX[31:0] */
	uint32_t kind;  /* enum svsm_buffer_kind */
	uint32_t max;   /* RCX_RDX: largest RDX accepted; PAGE: 4096; DESC: descriptor SIZE */
	uint32_t nsegs; /* DESC: number of OFFs */
	uint16_t off[SVSM_BUFFER_MAX_SEGS]; /* DESC: where each {gpa, size} pair sits */
};

/* What a rule made of one call's registers. */
struct svsm_buffer {
	uint64_t gpa;
	uint32_t len; /* 0 = the call takes no buffer */
	const struct svsm_buffer_rule *rule; /* the rule that named it (NULL: none) */
};

/* One buffer named by an rcx-desc descriptor. */
struct svsm_segment {
	uint64_t gpa;
	uint32_t len; /* 0 = absent (its gpa is then ignored) */
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

/*
 * The buffers an rcx-desc descriptor names: `desc` is the descriptor's
 * `rule->max` bytes as copied in from `desc_gpa`. SVSM_SUCCESS and
 * segs[0..rule->nsegs), or what the guest gets: a range that wraps
 * SVSM_ERR_INVALID_ADDRESS; descriptor plus buffers over SVSM_DESC_TOTAL_MAX,
 * or two of them (descriptor included) overlapping,
 * SVSM_ERR_INVALID_PARAMETER. Guest memory is again the caller's check.
 */
uint32_t svsm_buffer_desc_segments(const struct svsm_buffer_rule *rule, const uint8_t *desc,
                                   uint64_t desc_gpa, struct svsm_segment *segs);

/* Little-endian u32 at desc[off] (the size of a pair at off - 8). */
uint32_t svsm_buffer_le32(const uint8_t *p);

#endif
