/* Channel and handle syscalls: decode and check, then hand over to ipc/chan.c. */
#include <keel/deadline.h>
#include <keel/msg.h>

#include "ipc/chan.h"
#include "ipc/irq.h"
#include "platform/platform.h"
#include "syscall/syscall.h"
#include "task/sched.h"

static int lookup_end(struct task *t, uint64_t h, struct chan_end **e)
{
	void *obj;
	if (h > 0xffffffffull)
		return KEEL_EBADHANDLE;
	int rc = handle_lookup(&t->handles, (keel_handle_t)h, HANDLE_CHAN_END, &obj);
	if (!rc)
		*e = obj;
	return rc;
}

long sys_chan_call(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct chan_end *e;
	struct uspan req, rsp;
	uint64_t req_len = a->a[2];
	int rc = lookup_end(t, a->a[0], &e);
	if (rc)
		return rc;
	if (req_len > KEEL_MSG_MAX)
		return KEEL_ETOOBIG;
	if ((rc = uspan_check(t->root, uaddr_from(a->a[1]), req_len, UACCESS_READ, &req)) ||
	    (rc = uspan_check(t->root, uaddr_from(a->a[3]), keel_msg_cap_clamp(a->a[4]), UACCESS_WRITE, &rsp)))
		return rc;
	return chan_call(e, &req, &rsp);
}

/* recv's buffer: min(cap, KEEL_MSG_MAX) bytes writable. */
static int check_recv_buf(struct task *t, uint64_t buf, uint64_t cap, struct uspan *s)
{
	return uspan_check(t->root, uaddr_from(buf), keel_msg_cap_clamp(cap), UACCESS_WRITE, s);
}

/* reply's buffer: readable for len bytes, unchecked (never copied) when len is over KEEL_MSG_MAX. */
static int check_reply_buf(struct task *t, uint64_t buf, uint64_t len, struct uspan *s)
{
	/* gen UINT64_MAX: never current, so this unchecked span can never be copied from */
	*s = (struct uspan){.root = t->root, .va = uaddr_from(buf), .gen = UINT64_MAX};
	return len <= KEEL_MSG_MAX ? uspan_check(t->root, uaddr_from(buf), len, UACCESS_READ, s) : 0;
}

long sys_chan_recv(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct chan_end *e;
	struct uspan buf;
	int rc = lookup_end(t, a->a[0], &e);
	if (rc)
		return rc;
	if ((rc = check_recv_buf(t, a->a[1], a->a[2], &buf)))
		return rc;
	return chan_recv(e, &buf);
}

long sys_chan_reply(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct chan_end *e;
	struct uspan buf;
	int rc = lookup_end(t, a->a[0], &e);
	if (rc)
		return rc;
	if ((rc = check_reply_buf(t, a->a[1], a->a[2], &buf)))
		return rc;
	return chan_reply(e, &buf, a->a[2]);
}

/*
 * reply then recv on one end, in one syscall (docs/abi.md): both buffers
 * are checked before the reply is made, so EFAULT means nothing was done;
 * a failed reply is returned without receiving.
 */
long sys_chan_reply_recv(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct chan_end *e;
	struct uspan out, in;
	int rc = lookup_end(t, a->a[0], &e);
	if (rc)
		return rc;
	if ((rc = check_reply_buf(t, a->a[1], a->a[2], &out)) || (rc = check_recv_buf(t, a->a[3], a->a[4], &in)))
		return rc;
	long r = chan_reply(e, &out, a->a[2]);
	return r < 0 ? r : chan_recv(e, &in);
}

/* What keel_wait waits on: a channel end or an interrupt (HANDLE_IRQ). */
struct waitable {
	uint8_t type;
	void *obj;
};

static int lookup_waitable(struct task *t, uint64_t h, struct waitable *w)
{
	if (h > 0xffffffffull)
		return KEEL_EBADHANDLE;
	w->type = HANDLE_CHAN_END;
	if (!handle_lookup(&t->handles, (keel_handle_t)h, HANDLE_CHAN_END, &w->obj))
		return 0;
	w->type = HANDLE_IRQ;
	return handle_lookup(&t->handles, (keel_handle_t)h, HANDLE_IRQ, &w->obj);
}

static int waitable_ready(const struct waitable *w)
{
	return w->type == HANDLE_IRQ ? irq_ready(w->obj) : chan_ready(w->obj);
}

/* Marks the interrupts among ws[0..n) as waited on (the idle check, task/sched.c). */
static void mark_waited(struct waitable *ws, uint64_t n, int on)
{
	for (uint64_t i = 0; i < n; i++)
		if (ws[i].type == HANDLE_IRQ)
			((struct irq *)ws[i].obj)->waited = on;
}

long sys_wait(const struct syscall_args *a)
{
	struct task *t = sched_current();
	keel_handle_t hs[KEEL_MAX_HANDLES];
	struct waitable ws[KEEL_MAX_HANDLES];
	uint64_t n = a->a[1], timeout = a->a[2];
	if (!n || n > KEEL_MAX_HANDLES)
		return KEEL_EINVAL;
	int rc = copy_from_user(t->root, hs, uaddr_from(a->a[0]), n * sizeof(hs[0]));
	if (rc)
		return rc;
	for (uint64_t i = 0; i < n; i++)
		if ((rc = lookup_waitable(t, hs[i], &ws[i])))
			return rc;
	uint64_t deadline = keel_wait_deadline(time_monotonic_ns(), timeout); /* shared with hosted */
	for (;;) {
		for (uint64_t i = 0; i < n; i++)
			if (waitable_ready(&ws[i]))
				return (long)i;
		if ((rc = (int)keel_wait_verdict(deadline, time_monotonic_ns())))
			return rc;
		mark_waited(ws, n, 1);
		sched_block(deadline == KEEL_DEADLINE_NONE ? 0 : deadline); /* 0: no timer */
		mark_waited(ws, n, 0);
	}
}

long sys_handle_close(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint8_t type;
	void *obj;
	if (a->a[0] > 0xffffffffull)
		return KEEL_EBADHANDLE;
	int rc = handle_remove(&t->handles, (keel_handle_t)a->a[0], &type, &obj);
	if (rc)
		return rc;
	if (type == HANDLE_CHAN_END)
		chan_end_close(obj);
	else if (type == HANDLE_IRQ)
		irq_release(obj);
	return 0;
}
