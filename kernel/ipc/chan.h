/*
 * Channels: two ends, each a handle object in one task. Synchronous
 * rendezvous with no kernel queue (keel/syscall.h, docs/architecture.md §5): a call
 * is a record on the caller's end describing its buffers; the receiver
 * copies the request straight out of the caller's memory, and the reply
 * goes straight into the caller's response buffer. One copy each way.
 */
#ifndef KEEL_IPC_CHAN_H
#define KEEL_IPC_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "mm/uaccess.h"

struct task;

enum call_state {
	CALL_IDLE = 0, /* no call from this end */
	CALL_PENDING,  /* waiting for the peer to receive */
	CALL_RECEIVED, /* the peer has the request and owes a reply */
	CALL_DONE,     /* `result` holds the reply length or an error */
};

struct chan_call {
	enum call_state state;
	struct uspan req, rsp; /* checked by the caller's syscall (req.n = req_len, rsp.n = rsp_cap) */
	size_t req_len, rsp_cap;
	long result;
	/* A kernel-made call (the SVSM router for a guest): kernel buffers instead of req/rsp. */
	const void *kreq;
	void *krsp;
};

/*
 * The owner is blocked in chan_recv on this end (docs/ipc-fast-path.md): a
 * call from the peer is taken into `buf` at once, by the caller, exactly
 * as the receiver would take it, and `result` is what its recv returns.
 */
struct chan_rx {
	int waiting, delivered;
	struct uspan buf; /* checked writable for its n bytes (the capacity) by the receiver's syscall */
	long result;
};

struct chan_end {
	struct chan *chan;
	struct task *owner;
	int open;
	struct chan_call call; /* the call this end's owner made */
	int owes_reply;        /* this end received a call and has not answered it yet */
	struct chan_rx rx;
};

struct chan {
	struct chan_end end[2];
	int in_use;
};

/*
 * Boot: a channel between slot_a of `a` and slot_b of `b`. 0, or the
 * handle_install_at error with nothing left behind (neither handle, nor
 * the channel), or KEEL_ENOMEM when every channel is in use.
 */
int chan_create(struct task *a, unsigned slot_a, struct task *b, unsigned slot_b);

/*
 * The syscalls, after their arguments were decoded and their buffers
 * checked (a span's n is its length or capacity); `e` belongs to the
 * current task. chan_reply's `buf` is checked for `len` bytes unless len
 * is over KEEL_MSG_MAX (then ETOOBIG, nothing is copied).
 */
long chan_call(struct chan_end *e, const struct uspan *req, const struct uspan *rsp);
long chan_recv(struct chan_end *e, const struct uspan *buf);
long chan_reply(struct chan_end *e, const struct uspan *buf, size_t len);
/*
 * A call the kernel makes on behalf of the current task (the SVSM router
 * for a guest): the request comes from, and the reply goes to, kernel
 * memory. Blocks the current task like chan_call; same results.
 */
long chan_call_kernel(struct chan_end *e, const void *req, size_t req_len, void *rsp, size_t rsp_cap);

/* Ready for wait: the peer has a call not yet received, or the peer is gone. */
int chan_ready(const struct chan_end *e);
/* Close one end (handle close or task death): fail and wake everything waiting on the peer. */
void chan_end_close(struct chan_end *e);

#endif
