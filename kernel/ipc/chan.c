#include <keel/errors.h>
#include <keel/msg.h>

#include "ipc/chan.h"
#include "task/manifest.h"
#include "task/sched.h"

static struct chan chans[MANIFEST_MAX_CHANNELS];

static struct chan_end *peer_of(const struct chan_end *e)
{
	struct chan *c = e->chan;
	return e == &c->end[0] ? &c->end[1] : &c->end[0];
}

int chan_create(struct task *a, unsigned slot_a, struct task *b, unsigned slot_b)
{
	keel_handle_t ha, hb;
	for (unsigned i = 0; i < MANIFEST_MAX_CHANNELS; i++) {
		struct chan *c = &chans[i];
		if (c->in_use)
			continue;
		*c = (struct chan){.in_use = 1};
		c->end[0] = (struct chan_end){.chan = c, .owner = a, .open = 1};
		c->end[1] = (struct chan_end){.chan = c, .owner = b, .open = 1};
		int rc = handle_install_at(&a->handles, slot_a, HANDLE_CHAN_END, &c->end[0], &ha);
		if (!rc && (rc = handle_install_at(&b->handles, slot_b, HANDLE_CHAN_END, &c->end[1], &hb))) {
			uint8_t type;
			void *obj;
			handle_remove(&a->handles, ha, &type, &obj); /* nothing half-made stays behind */
		}
		if (rc)
			c->in_use = 0;
		return rc;
	}
	return KEEL_ENOMEM;
}

/* Finish the caller's call with `result` and let it run. */
static void complete(struct chan_end *caller_end, long result)
{
	caller_end->call.state = CALL_DONE;
	caller_end->call.result = result;
	sched_wake(caller_end->owner);
}

/* The request into the receiver's buffer; a kernel-made call's comes from kernel memory. */
static int copy_request(struct chan_end *caller, const struct uspan *buf, enum uaccess_side *side)
{
	struct chan_call *c = &caller->call;
	if (!c->kreq)
		return uspan_copy(buf, &c->req, c->req_len, side);
	*side = UACCESS_SIDE_DST;
	return copy_to_user(buf->root, buf->va, c->kreq, c->req_len);
}

static int copy_reply(struct chan_end *caller, const struct uspan *buf, size_t len, enum uaccess_side *side)
{
	struct chan_call *c = &caller->call;
	if (!c->krsp)
		return uspan_copy(&c->rsp, buf, len, side);
	*side = UACCESS_SIDE_SRC;
	return copy_from_user(buf->root, c->krsp, buf->va, len);
}

/* Take the pending call from `caller` into our buffer: the single copy of the request. */
static long take_request(struct chan_end *e, struct chan_end *caller, const struct uspan *buf)
{
	struct chan_call *c = &caller->call;
	enum uaccess_side side;
	if (c->req_len > buf->n) {
		complete(caller, KEEL_ETOOBIG);
		return KEEL_ETOOBIG;
	}
	int rc = copy_request(caller, buf, &side);
	if (rc && side == UACCESS_SIDE_SRC) {
		complete(caller, KEEL_EFAULT); /* the caller's buffer went bad: its error; keep waiting */
		return KEEL_EAGAIN;
	}
	if (rc) {
		complete(caller, KEEL_EPEERCLOSED);
		return KEEL_EFAULT;
	}
	c->state = CALL_RECEIVED;
	e->owes_reply = 1;
	return (long)c->req_len;
}

/*
 * The fast path: the peer's owner is blocked in chan_recv on its end, so
 * the caller takes the request into the receiver's buffer itself (the
 * same take_request, with the same checks and results) and hands the CPU
 * straight to the receiver. 1 if the call was taken (or failed on the
 * way: the receiver's recv then has its error); 0 if our own request was
 * bad (our call is done with KEEL_EFAULT, the receiver keeps waiting).
 */
static int deliver(struct chan_end *e, struct chan_end *p)
{
	long r = take_request(p, e, &p->rx.buf);
	if (r == KEEL_EAGAIN)
		return 0;
	p->rx.waiting = 0;
	p->rx.delivered = 1;
	p->rx.result = r;
	sched_wake(p->owner);
	return 1;
}

/*
 * The one call path: our end's call record is filled in (by chan_call or
 * chan_call_kernel, in place: it is large); post it, wake (or serve) the
 * peer, block until it is done.
 */
static long call(struct chan_end *e)
{
	struct chan_end *p = peer_of(e);
	if (!p->open)
		return KEEL_EPEERCLOSED;
	e->call.state = CALL_PENDING;
	if (p->rx.waiting)
		deliver(e, p);
	else
		sched_wake(p->owner);
	while (e->call.state != CALL_DONE)
		sched_block_to(p->owner);
	e->call.state = CALL_IDLE;
	return e->call.result;
}

long chan_call(struct chan_end *e, const struct uspan *req, const struct uspan *rsp)
{
	struct chan_call *c = &e->call;
	if (c->state != CALL_IDLE)
		return KEEL_EBUSY;
	c->req = *req;
	c->rsp = *rsp;
	c->req_len = req->n;
	c->rsp_cap = rsp->n;
	c->kreq = 0;
	c->krsp = 0;
	return call(e);
}

long chan_call_kernel(struct chan_end *e, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct chan_call *c = &e->call;
	if (c->state != CALL_IDLE)
		return KEEL_EBUSY;
	if (!req || !rsp)
		return KEEL_EINVAL; /* kreq/krsp non-NULL is what marks a kernel call */
	c->req = c->rsp = (struct uspan){0}; /* no user buffer left from an earlier call */
	c->req_len = req_len;
	c->rsp_cap = rsp_cap;
	c->kreq = req;
	c->krsp = rsp;
	return call(e);
}

long chan_recv(struct chan_end *e, const struct uspan *buf)
{
	for (;;) {
		struct chan_end *p = peer_of(e);
		if (e->owes_reply)
			return KEEL_EBUSY; /* a reply is still owed, even to a caller now gone */
		if (p->call.state == CALL_PENDING) {
			long r = take_request(e, p, buf);
			if (r != KEEL_EAGAIN)
				return r;
			continue;
		}
		if (!p->open)
			return KEEL_EPEERCLOSED;
		e->rx = (struct chan_rx){.waiting = 1, .buf = *buf};
		sched_block_to(p->owner); /* typically the caller we have just answered */
		e->rx.waiting = 0;
		if (e->rx.delivered) {
			e->rx.delivered = 0;
			return e->rx.result;
		}
	}
}

long chan_reply(struct chan_end *e, const struct uspan *buf, size_t len)
{
	struct chan_end *p = peer_of(e);
	struct chan_call *c = &p->call;
	enum uaccess_side side;
	if (!e->owes_reply)
		return KEEL_EINVAL; /* nothing received, whether or not the peer is still there */
	e->owes_reply = 0;
	if (!p->open || c->state != CALL_RECEIVED)
		return KEEL_EPEERCLOSED; /* the caller is gone */
	if (len > KEEL_MSG_MAX || len > c->rsp_cap) {
		complete(p, KEEL_ETOOBIG);
		return KEEL_ETOOBIG;
	}
	int rc = copy_reply(p, buf, len, &side);
	if (rc) {
		/* Our buffer was bad: the caller is told and we get EFAULT; theirs cannot be (checked at call). */
		complete(p, side == UACCESS_SIDE_SRC ? KEEL_EPEERCLOSED : KEEL_EFAULT);
		return side == UACCESS_SIDE_SRC ? KEEL_EFAULT : KEEL_EPEERCLOSED;
	}
	complete(p, (long)len);
	return 0;
}

int chan_ready(const struct chan_end *e)
{
	const struct chan_end *p = peer_of(e);
	return !p->open || p->call.state == CALL_PENDING;
}

void chan_end_close(struct chan_end *e)
{
	struct chan_end *p = peer_of(e);
	e->open = 0;
	e->call.state = CALL_IDLE; /* our own call, if any, dies with us */
	e->rx = (struct chan_rx){0}; /* and our receive: nothing may be delivered to a closed end */
	if (p->open) {
		if (p->call.state == CALL_PENDING || p->call.state == CALL_RECEIVED)
			complete(p, KEEL_EPEERCLOSED);
		sched_wake(p->owner); /* blocked in recv or wait: it will see the close */
	} else {
		e->chan->in_use = 0;
	}
}
