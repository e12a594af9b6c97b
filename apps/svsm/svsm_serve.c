/*
 * A protocol service's side of the router channel (svsm_serve.h): small
 * calls in one message, large ones (keel/svsm.h, KEEL_OP_SVSM_PART) pushed
 * in parts before the call and pulled in parts after the result. Booted
 * and hosted alike: only keel_chan_recv/keel_chan_reply.
 *
 * States: idle; gathering a pushed buffer; a call handed out (a reply
 * owed); sending a large result. The router drives the exchange and may
 * abandon it (it does when a reply looked wrong to it), so a message that
 * does not continue the current exchange drops it and is taken as the
 * start of a new one; only what cannot start one is answered with
 * KEEL_OP_ERROR (the router then gives its guest SVSM_ERR_INVALID_REQUEST).
 */
#include <stdlib.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/syscall.h>

#include "svsm_serve.h"

enum serve_state { S_IDLE, S_GATHER, S_CALL, S_SEND };

struct svsm_serve {
	keel_handle_t h;
	enum serve_state state;
	uint32_t pos;    /* S_GATHER: bytes gathered; S_SEND: bytes sent */
	uint32_t total;  /* S_GATHER: the pushed length; S_SEND: the result's buf_len */
	uint32_t used;   /* bytes of buf holding guest data, to wipe */
	size_t msg_used; /* bytes of msg that held guest data since the last wipe */
	struct svsm_call_in in;
	uint8_t msg[KEEL_MSG_MAX];
	uint8_t buf[SVSM_LARGE_BUFFER_MAX];
};

struct svsm_serve *svsm_serve_new(keel_handle_t h)
{
	struct svsm_serve *s = calloc(1, sizeof(*s));
	if (s)
		s->h = h;
	return s;
}

/* Forget the exchange, and the guest bytes it gathered. */
static void forget(struct svsm_serve *s)
{
	memset(s->buf, 0, s->used);
	s->used = 0;
	s->pos = s->total = 0;
	s->state = S_IDLE;
}

/* An exchange is over: nothing of it stays behind, in buf or in the message buffer. */
static void drop(struct svsm_serve *s)
{
	forget(s);
	memset(s->msg, 0, s->msg_used);
	s->msg_used = 0;
}

void svsm_serve_free(struct svsm_serve *s)
{
	if (!s)
		return;
	drop(s);
	free(s);
}

static uint32_t part_len(uint32_t offset, uint32_t total)
{
	uint32_t left = total - offset;
	return left < SVSM_PART_MAX ? left : SVSM_PART_MAX;
}

/* A part header of n message bytes, at this offset and total, with `data` bytes after it. */
static int is_part(const struct keel_svsm_part *p, long n, uint32_t offset, uint32_t total,
                   uint32_t data)
{
	return n == (long)(sizeof(*p) + data) && p->hdr.op == KEEL_OP_SVSM_PART &&
	       p->hdr.len == sizeof(*p) - sizeof(p->hdr) + data && p->offset == offset &&
	       p->total == total;
}

static long reply_part(struct svsm_serve *s, uint32_t offset, uint32_t total, uint32_t data)
{
	struct keel_svsm_part p = {{KEEL_OP_SVSM_PART, (uint32_t)(8 + data)}, offset, total};
	memcpy(s->msg, &p, sizeof(p));
	if (data)
		memcpy(s->msg + sizeof(p), s->buf + offset, data);
	if (sizeof(p) + data > s->msg_used)
		s->msg_used = sizeof(p) + data;
	return keel_chan_reply(s->h, s->msg, sizeof(p) + data);
}

static void reply_error(struct svsm_serve *s)
{
	struct keel_msg m = {KEEL_OP_ERROR, 4};
	int32_t e = KEEL_EINVAL;
	memcpy(s->msg, &m, sizeof(m));
	memcpy(s->msg + sizeof(m), &e, sizeof(e));
	keel_chan_reply(s->h, s->msg, sizeof(m) + sizeof(e));
}

static void hand_out(struct svsm_serve *s, const struct keel_svsm_call *c)
{
	s->in.call = c->call;
	s->in.rcx = c->rcx;
	s->in.rdx = c->rdx;
	s->in.r8 = c->r8;
	s->in.r9 = c->r9;
	s->in.buf = s->buf;
	s->in.buf_len = c->buf_len;
	s->state = S_CALL;
}

/*
 * The message continues the current exchange: 1 handled (answered, or a
 * whole call handed out: 2), 0 it does not.
 */
static int continue_exchange(struct svsm_serve *s, long n)
{
	const struct keel_svsm_part *p = (const struct keel_svsm_part *)s->msg;
	const struct keel_svsm_call *c = (const struct keel_svsm_call *)s->msg;
	if (s->state == S_SEND && is_part(p, n, s->pos, s->total, 0)) {
		uint32_t len = part_len(s->pos, s->total);
		uint32_t off = s->pos;
		s->pos += len;
		if (s->pos == s->total)
			s->state = S_IDLE; /* the last part; wiped below once it is sent */
		reply_part(s, off, s->total, len);
		if (s->state == S_IDLE)
			drop(s);
		return 1;
	}
	if (s->state != S_GATHER)
		return 0;
	if (s->pos < s->total && is_part(p, n, s->pos, s->total, part_len(s->pos, s->total))) {
		uint32_t len = part_len(s->pos, s->total);
		memcpy(s->buf + s->pos, s->msg + sizeof(*p), len);
		s->pos += len;
		reply_part(s, p->offset, s->total, 0);
		return 1;
	}
	if (s->pos == s->total && n == (long)sizeof(*c) && c->hdr.op == KEEL_OP_SVSM_CALL &&
	    c->hdr.len == sizeof(*c) - sizeof(c->hdr) && c->buf_len == s->total) {
		hand_out(s, c);
		return 2;
	}
	return 0;
}

/* From idle: 1 answered (a push started, or an error), 2 a whole call handed out. */
static int start_exchange(struct svsm_serve *s, long n)
{
	const struct keel_svsm_part *p = (const struct keel_svsm_part *)s->msg;
	const struct keel_svsm_call *c = (const struct keel_svsm_call *)s->msg;
	if (n >= (long)sizeof(*c) && c->hdr.op == KEEL_OP_SVSM_CALL &&
	    c->hdr.len == (size_t)n - sizeof(c->hdr) && c->buf_len <= SVSM_INLINE_MAX &&
	    (size_t)n == sizeof(*c) + c->buf_len) {
		memcpy(s->buf, s->msg + sizeof(*c), c->buf_len);
		s->used = c->buf_len;
		hand_out(s, c);
		return 2;
	}
	if (n >= (long)sizeof(*p) && p->total > SVSM_INLINE_MAX &&
	    p->total <= SVSM_LARGE_BUFFER_MAX &&
	    is_part(p, n, 0, p->total, part_len(0, p->total))) {
		s->state = S_GATHER;
		s->total = p->total;
		s->used = p->total;
		s->pos = part_len(0, p->total);
		memcpy(s->buf, s->msg + sizeof(*p), s->pos);
		reply_part(s, 0, s->total, 0);
		return 1;
	}
	reply_error(s);
	return 1;
}

int svsm_serve_recv(struct svsm_serve *s, struct svsm_call_in *in)
{
	if (s->state == S_CALL)
		return KEEL_EBUSY; /* the call handed out is still owed its reply */
	for (;;) {
		long n = keel_chan_recv(s->h, s->msg, sizeof(s->msg));
		int r;
		if (n == KEEL_ETOOBIG)
			continue; /* over one message: the caller was told; nothing owed */
		if (n < 0)
			return (int)n;
		if ((size_t)n > s->msg_used)
			s->msg_used = (size_t)n;
		r = continue_exchange(s, n);
		if (!r) {
			forget(s); /* not the next step: the router abandoned it */
			r = start_exchange(s, n);
		}
		if (r == 2) {
			*in = s->in;
			return 0;
		}
	}
}

int svsm_serve_reply(struct svsm_serve *s, const struct svsm_call_out *out)
{
	struct keel_svsm_result r;
	uint32_t inline_len;
	long rc;
	if (s->state != S_CALL || out->buf_len > s->in.buf_len)
		return KEEL_EINVAL;
	inline_len = out->buf_len > SVSM_INLINE_MAX ? 0 : out->buf_len;
	memset(&r, 0, sizeof(r));
	r.hdr.op = KEEL_OP_SVSM_CALL;
	r.hdr.len = (uint32_t)(sizeof(r) - sizeof(r.hdr) + inline_len);
	r.rax = out->rax;
	r.rcx = out->rcx;
	r.rdx = out->rdx;
	r.r8 = out->r8;
	r.buf_len = out->buf_len;
	memcpy(s->msg, &r, sizeof(r));
	memcpy(s->msg + sizeof(r), s->buf, inline_len);
	if (sizeof(r) + inline_len > s->msg_used)
		s->msg_used = sizeof(r) + inline_len;
	rc = keel_chan_reply(s->h, s->msg, sizeof(r) + inline_len);
	if (out->buf_len > SVSM_INLINE_MAX && rc == 0) {
		s->state = S_SEND; /* the router pulls the bytes next (svsm_serve_recv answers) */
		s->pos = 0;
		s->total = out->buf_len;
		return 0;
	}
	drop(s);
	return rc < 0 ? (int)rc : 0;
}
