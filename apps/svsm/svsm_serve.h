/*
 * A protocol service's side of the router channel (slot KEEL_HANDLE_ROUTER),
 * for buffers of any size the router allows: small calls arrive as one
 * message, large ones (keel/svsm.h, KEEL_OP_SVSM_PART) in parts, which
 * this module gathers and hands out. The service sees one call at a time,
 * with the whole buffer, and answers in place.
 */
#ifndef SVSM_SERVE_H
#define SVSM_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include <keel/svsm.h>
#include <keel/types.h>

struct svsm_call_in {
	uint32_t call;
	uint64_t rcx, rdx, r8, r9;
	uint8_t *buf;     /* the guest buffer's bytes (the serve context's memory, SVSM_LARGE_BUFFER_MAX) */
	uint32_t buf_len;
};

struct svsm_call_out {
	uint64_t rax, rcx, rdx, r8;
	uint32_t buf_len; /* bytes of the call's buf (edited in place) to copy back, <= its buf_len */
};

struct svsm_serve; /* opaque */

/* A context for handle h (KEEL_HANDLE_ROUTER); NULL when out of memory. */
struct svsm_serve *svsm_serve_new(keel_handle_t h);
void svsm_serve_free(struct svsm_serve *s);

/*
 * The next whole call (blocking). 0, or a negative KEEL_E* when the
 * channel failed. A malformed exchange from the router's side is answered
 * with KEEL_OP_ERROR and skipped, never handed out.
 */
int svsm_serve_recv(struct svsm_serve *s, struct svsm_call_in *in);

/* Answer the call svsm_serve_recv gave (in parts when out->buf_len is large). 0 or KEEL_E*. */
int svsm_serve_reply(struct svsm_serve *s, const struct svsm_call_out *out);

#endif
