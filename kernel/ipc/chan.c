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

/* The one call path: post `call` on our end, wake the peer, block until it is done. */
static long call(struct chan_end *e, struct chan_call call)
{
	struct chan_end *p = peer_of(e);
	if (e->call.state != CALL_IDLE)
		return KEEL_EBUSY;
	if (!p->open)
		return KEEL_EPEERCLOSED;
	call.state = CALL_PENDING;
	e->call = call;
	sched_wake(p->owner);
	while (e->call.state != CALL_DONE)
		sched_block(0);
	e->call.state = CALL_IDLE;
	return e->call.result;
}

long chan_call(struct chan_end *e, struct uaddr req, size_t req_len, struct uaddr rsp, size_t rsp_cap)
{
	return call(e, (struct chan_call){.req = req, .rsp = rsp, .req_len = req_len, .rsp_cap = rsp_cap});
}

long chan_call_kernel(struct chan_end *e, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	return call(e, (struct chan_call){.req = uaddr_from(0), .rsp = uaddr_from(0), .req_len = req_len,
					  .rsp_cap = rsp_cap, .kreq = req, .krsp = rsp});
}

/* The request into the receiver's buffer; a kernel-made call's comes from kernel memory. */
static int copy_request(struct chan_end *e, struct chan_end *caller, struct uaddr buf, enum uaccess_side *side)
{
	struct chan_call *c = &caller->call;
	if (!c->kreq)
		return copy_user_to_user(e->owner->root, buf, caller->owner->root, c->req, c->req_len, side);
	*side = UACCESS_SIDE_DST;
	return copy_to_user(e->owner->root, buf, c->kreq, c->req_len);
}

static int copy_reply(struct chan_end *e, struct chan_end *caller, struct uaddr buf, size_t len,
		      enum uaccess_side *side)
{
	struct chan_call *c = &caller->call;
	if (!c->krsp)
		return copy_user_to_user(caller->owner->root, c->rsp, e->owner->root, buf, len, side);
	*side = UACCESS_SIDE_SRC;
	return copy_from_user(e->owner->root, c->krsp, buf, len);
}

/* Take the pending call from `caller` into our buffer: the single copy of the request. */
static long take_request(struct chan_end *e, struct chan_end *caller, struct uaddr buf, size_t cap)
{
	struct chan_call *c = &caller->call;
	enum uaccess_side side;
	if (c->req_len > cap) {
		complete(caller, KEEL_ETOOBIG);
		return KEEL_ETOOBIG;
	}
	int rc = copy_request(e, caller, buf, &side);
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

long chan_recv(struct chan_end *e, struct uaddr buf, size_t cap)
{
	for (;;) {
		struct chan_end *p = peer_of(e);
		if (e->owes_reply)
			return KEEL_EBUSY; /* a reply is still owed, even to a caller now gone */
		if (p->call.state == CALL_PENDING) {
			long r = take_request(e, p, buf, cap);
			if (r != KEEL_EAGAIN)
				return r;
			continue;
		}
		if (!p->open)
			return KEEL_EPEERCLOSED;
		sched_block(0);
	}
}

long chan_reply(struct chan_end *e, struct uaddr buf, size_t len)
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
	int rc = copy_reply(e, p, buf, len, &side);
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
	if (p->open) {
		if (p->call.state == CALL_PENDING || p->call.state == CALL_RECEIVED)
			complete(p, KEEL_EPEERCLOSED);
		sched_wake(p->owner); /* blocked in recv or wait: it will see the close */
	} else {
		e->chan->in_use = 0;
	}
}
