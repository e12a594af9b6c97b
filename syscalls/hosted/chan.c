/*
 * Channels over SOCK_SEQPACKET socketpairs (docs/hosted.md). Synchronous
 * call/recv/reply with the kernel's size rules: the caller tells the
 * receiver its reply capacity in the request frame, so a too-big request
 * or reply fails *both* sides with KEEL_ETOOBIG without an extra round
 * trip (the receiver sends a HOSTED_ERR frame instead of the reply).
 *
 * Under keel-hosted every channel also has a shared-memory mailbox
 * (mbox.c), which then carries the messages; the socket code here is the
 * transport for ends without one, and the socket stays open either way
 * (peer death). KEEL_HOSTED_SPIN_NS (default 0): a socket receive spins
 * on MSG_DONTWAIT that long before blocking. A request that arrives while
 * an end calls is held for its next receive (booted leaves it pending).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <keel/deadline.h>
#include <keel/syscall.h>

#include "hosted.h"

static long spin_ns = -1;

#define now_ns hosted_now_ns

static long errno_to_keel(int e)
{
	switch (e) {
	case EPIPE:
	case ECONNRESET:
	case ENOTCONN:
		return KEEL_EPEERCLOSED;
	case EFAULT:
		return KEEL_EFAULT;
	case EMSGSIZE:
		return KEEL_ETOOBIG;
	case ENOMEM:
	case ENOBUFS:
		return KEEL_ENOMEM;
	default:
		return KEEL_EINVAL;
	}
}

static long send_frame(int fd, const struct hosted_frame *f, const void *buf, size_t len)
{
	struct iovec iov[2] = {{(void *)f, sizeof(*f)}, {(void *)buf, len}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
	ssize_t r;
	do
		r = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? errno_to_keel(errno) : 0;
}

static long send_err(int fd, long status)
{
	struct hosted_frame f = {.kind = HOSTED_ERR, .status = (int32_t)status};
	return send_frame(fd, &f, NULL, 0);
}

/*
 * Receives one packet into the frame and buf[cap]. Returns the payload
 * length the sender sent (may exceed cap: the packet was truncated and is
 * gone), KEEL_EPEERCLOSED at EOF, or another KEEL_E*.
 */
static long recv_frame(int fd, struct hosted_frame *f, void *buf, size_t cap)
{
	struct iovec iov[2] = {{f, sizeof(*f)}, {buf, cap}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = cap ? 2 : 1};
	uint64_t deadline = 0;
	ssize_t r;
	if (spin_ns < 0) {
		const char *s = getenv("KEEL_HOSTED_SPIN_NS");
		spin_ns = s ? atol(s) : 0;
	}
	for (;;) {
		r = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
		if (r >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (!deadline)
			deadline = now_ns() + (uint64_t)spin_ns;
		else if (now_ns() >= deadline) {
			do
				r = recvmsg(fd, &mh, MSG_TRUNC);
			while (r < 0 && errno == EINTR);
			break;
		}
	}
	if (r < 0)
		return errno_to_keel(errno);
	if (r == 0)
		return KEEL_EPEERCLOSED;
	if ((size_t)r < sizeof(*f))
		return KEEL_EINVAL; /* not from a hosted peer */
	return (long)((size_t)r - sizeof(*f));
}

/* The launcher's own channel ends that have a mailbox (hosted_chan_attach_fd). */
#define ATTACHED_MAX 64
static struct hosted_ep attached[ATTACHED_MAX];
static int nattached;

int hosted_chan_attach_fd(int fd, struct hosted_mbox *mb, int me)
{
	if (nattached == ATTACHED_MAX)
		return -1;
	attached[nattached] = (struct hosted_ep){.mb = mb, .me = me, .fd = fd, .watched = 1};
	nattached++;
	return 0;
}

/*
 * A request that arrived on a slot's socket while that end was calling (a
 * crossing call): kept, as booted leaves it pending, for the slot's next
 * receive. One at most: the peer has one call in flight per end.
 */
struct held_req {
	uint8_t *data; /* NULL: none held */
	long len;      /* as recv_frame: may exceed KEEL_MSG_MAX (then ETOOBIG) */
	uint64_t rsp_cap;
};
static struct held_req held[KEEL_MAX_HANDLES];

static struct held_req *held_of(int fd)
{
	int slot = fd - KEEL_HOSTED_FD_BASE;
	return slot >= 0 && slot < KEEL_MAX_HANDLES ? &held[slot] : NULL;
}

static void held_drop(struct held_req *q)
{
	free(q->data);
	q->data = NULL;
}

void hosted_chan_forget(int slot)
{
	if (slot >= 0 && slot < KEEL_MAX_HANDLES)
		held_drop(&held[slot]);
}

/* The kind of the next packet on fd, left queued; or a KEEL_E* (peer gone, ...). */
static long peek_kind(int fd)
{
	struct hosted_frame f;
	struct iovec iov = {&f, sizeof(f)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t r;
	do
		r = recvmsg(fd, &mh, MSG_PEEK | MSG_TRUNC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno_to_keel(errno);
	if (r == 0)
		return KEEL_EPEERCLOSED;
	return (size_t)r < sizeof(f) ? HOSTED_RSP : (long)f.kind; /* a runt: recv_frame refuses it */
}

static long sock_call(int fd, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct hosted_frame f = {.kind = HOSTED_REQ, .rsp_cap = rsp_cap};
	struct held_req *q = held_of(fd);
	long r;
	if (req_len > KEEL_MSG_MAX)
		return KEEL_ETOOBIG;
	r = send_frame(fd, &f, req, req_len);
	while (r == 0) {
		if (q && (r = peek_kind(fd)) == HOSTED_REQ && !q->data) {
			/* The peer calls us while we call it: keep its call for our next recv. */
			q->data = malloc(KEEL_MSG_MAX);
			r = q->data ? recv_frame(fd, &f, q->data, KEEL_MSG_MAX) : KEEL_ENOMEM;
			if (r < 0) {
				held_drop(q);
				break;
			}
			q->len = r;
			q->rsp_cap = f.rsp_cap;
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		r = recv_frame(fd, &f, rsp, rsp_cap);
		if (r < 0)
			break;
		if (f.kind == HOSTED_RSP) {
			if ((size_t)r > rsp_cap) /* the peer ignored our rsp_cap */
				r = KEEL_ETOOBIG;
			break;
		}
		if (f.kind == HOSTED_ERR) {
			r = f.status < 0 ? f.status : KEEL_EINVAL;
			break;
		}
		/* a second request while one is held (a peer breaking the protocol), or an
		 * end outside the handle table (the launcher's): refuse it, keep waiting */
		if (f.kind == HOSTED_REQ)
			(void)send_err(fd, KEEL_EBUSY);
		r = 0;
	}
	return r;
}

long hosted_chan_call_fd(int fd, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	int i;
	for (i = 0; i < nattached; i++)
		if (attached[i].fd == fd)
			return hosted_mbox_call(&attached[i], req, req_len, rsp, rsp_cap);
	return sock_call(fd, req, req_len, rsp, rsp_cap);
}

long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	struct hosted_slot *s = hosted_slot_get(h);
	long r;
	if (!s)
		return KEEL_EBADHANDLE;
	if (req_len > KEEL_MSG_MAX)
		return KEEL_ETOOBIG;
	/* as sys_chan_call: both buffers before anything else (no syscall: uaccess.c) */
	if ((r = hosted_user_check(req, req_len, 0)) ||
	    (r = hosted_user_check(rsp, keel_msg_cap_clamp(rsp_cap), 1)))
		return r;
	if (__atomic_exchange_n(&s->in_call, 1, __ATOMIC_ACQUIRE))
		return KEEL_EBUSY;
	if (s->ep) {
		hosted_mbox_stay();
		r = hosted_mbox_call(s->ep, req, req_len, rsp, rsp_cap);
	} else
		r = sock_call(KEEL_HOSTED_FD_BASE + (int)KEEL_HANDLE_SLOT(h), req, req_len, rsp,
			      rsp_cap);
	__atomic_store_n(&s->in_call, 0, __ATOMIC_RELEASE);
	return r;
}

long keel_chan_recv(keel_handle_t h, void *buf, size_t cap)
{
	struct hosted_slot *s = hosted_slot_get(h);
	struct hosted_frame f;
	int fd = KEEL_HOSTED_FD_BASE + (int)KEEL_HANDLE_SLOT(h);
	long r;
	if (!s)
		return KEEL_EBADHANDLE;
	if ((r = hosted_user_check(buf, keel_msg_cap_clamp(cap), 1)))
		return r; /* as sys_chan_recv: before EBUSY, and before any call is taken */
	if (s->reply_owed)
		return KEEL_EBUSY;
	if (s->ep) {
		r = hosted_mbox_recv(s->ep, buf, cap, &s->caller_cap);
		if (r >= 0)
			s->reply_owed = 1;
		return r;
	}
	if (held[KEEL_HANDLE_SLOT(h)].data) { /* a call that crossed ours */
		struct held_req *q = &held[KEEL_HANDLE_SLOT(h)];
		r = q->len;
		f.rsp_cap = q->rsp_cap;
		if ((size_t)r <= cap && hosted_copy(buf, q->data, (size_t)r))
			return KEEL_EFAULT; /* kept for the next recv */
		held_drop(q);
		if ((size_t)r > cap) {
			(void)send_err(fd, KEEL_ETOOBIG);
			return KEEL_ETOOBIG;
		}
		s->caller_cap = f.rsp_cap;
		s->reply_owed = 1;
		return r;
	}
	for (;;) {
		r = recv_frame(fd, &f, buf, cap);
		if (r == KEEL_EFAULT) /* the request is gone: fail its caller too, never hang it */
			(void)send_err(fd, KEEL_EFAULT);
		if (r < 0)
			return r;
		if (f.kind == HOSTED_REQ)
			break;
		/* a stale reply or error (its caller gave up): drop it */
	}
	if ((size_t)r > cap) { /* truncated and discarded: both sides fail */
		(void)send_err(fd, KEEL_ETOOBIG);
		return KEEL_ETOOBIG;
	}
	s->caller_cap = f.rsp_cap;
	s->reply_owed = 1;
	return r;
}

long keel_chan_reply(keel_handle_t h, const void *buf, size_t len)
{
	struct hosted_slot *s = hosted_slot_get(h);
	struct hosted_frame f = {.kind = HOSTED_RSP};
	int fd = KEEL_HOSTED_FD_BASE + (int)KEEL_HANDLE_SLOT(h);
	long r;
	if (!s)
		return KEEL_EBADHANDLE;
	if (len <= KEEL_MSG_MAX && (r = hosted_user_check(buf, len, 0)))
		return r; /* as sys_chan_reply: before EINVAL, and with the reply still owed */
	if (!s->reply_owed)
		return KEEL_EINVAL;
	s->reply_owed = 0;
	if (s->ep)
		return hosted_mbox_reply(s->ep, buf, len, len > KEEL_MSG_MAX || len > s->caller_cap);
	if (len > KEEL_MSG_MAX || len > s->caller_cap) {
		r = send_err(fd, KEEL_ETOOBIG);
		return r == KEEL_EPEERCLOSED ? r : KEEL_ETOOBIG;
	}
	r = send_frame(fd, &f, buf, len);
	if (r == KEEL_EFAULT)
		s->reply_owed = 1; /* nothing was sent: the server may answer again */
	return r;
}

/*
 * As the kernel's (docs/abi.md): both buffers checked first (EFAULT:
 * nothing done, the reply still owed), then the reply, then, if it
 * succeeded, the receive.
 */
long keel_chan_reply_recv(keel_handle_t h, const void *out, size_t out_len, void *buf, size_t cap)
{
	long r;
	if (!hosted_slot_get(h))
		return KEEL_EBADHANDLE;
	if ((out_len <= KEEL_MSG_MAX && (r = hosted_user_check(out, out_len, 0))) ||
	    (r = hosted_user_check(buf, keel_msg_cap_clamp(cap), 1)))
		return r;
	r = keel_chan_reply(h, out, out_len);
	return r < 0 ? r : keel_chan_recv(h, buf, cap);
}

/*
 * keel_wait when mailboxes are involved: all of them (keel-hosted gives
 * every channel one) sleep on their futexes at once; a mix with socket-only
 * ends looks at both in 1 ms steps.
 */
static long mixed_wait(struct hosted_ep **eps, struct pollfd *pfd, size_t n, size_t neps,
		       uint64_t deadline)
{
	if (neps == n)
		return hosted_mbox_wait(eps, n, deadline);
	for (;;) {
		uint64_t now = hosted_now_ns(), step;
		long r;
		size_t i;
		for (i = 0; i < n; i++) {
			if (eps[i] && hosted_mbox_wait(&eps[i], 1, 0) == 0)
				return (long)i;
			if (!eps[i] && poll(&pfd[i], 1, 0) == 1)
				return (long)i;
		}
		if ((r = keel_wait_verdict(deadline, now)))
			return r;
		step = deadline - now < 1000000 ? deadline - now : 1000000;
		usleep((useconds_t)(step / 1000));
	}
}

/*
 * poll() over the handles' sockets: ready = a packet waiting or the peer
 * gone. Timeout in ns: KEEL_WAIT_POLL -> KEEL_EAGAIN when nothing is ready,
 * KEEL_WAIT_FOREVER blocks, otherwise KEEL_ETIMEDOUT when it runs out.
 */
long keel_wait(const keel_handle_t *handles, size_t n, uint64_t timeout_ns)
{
	struct pollfd pfd[KEEL_MAX_HANDLES];
	struct hosted_ep *eps[KEEL_MAX_HANDLES];
	keel_handle_t hs[KEEL_MAX_HANDLES];
	uint64_t deadline = 0;
	size_t i, neps = 0;
	long rc;
	if (n == 0 || n > KEEL_MAX_HANDLES)
		return KEEL_EINVAL;
	/* as sys_wait: the array copied in first (a bad one is KEEL_EFAULT, uaccess.c) */
	if ((rc = hosted_user_check(handles, n * sizeof(hs[0]), 0)) ||
	    (rc = hosted_copy(hs, handles, n * sizeof(hs[0]))))
		return rc;
	for (i = 0; i < n; i++) {
		int fd = hosted_handle_fd(hs[i]);
		if (fd < 0)
			return KEEL_EBADHANDLE;
		eps[i] = hosted_slot_get(hs[i])->ep;
		neps += eps[i] != NULL;
		pfd[i].fd = fd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	for (i = 0; i < n; i++)
		if (!eps[i] && held[KEEL_HANDLE_SLOT(hs[i])].data)
			return (long)i; /* a crossing call held for this end's recv */
	deadline = keel_wait_deadline(now_ns(), timeout_ns); /* the kernel's rule, keel/deadline.h */
	if (neps)
		return mixed_wait(eps, pfd, n, neps, deadline);
	for (;;) {
		struct timespec ts = {0, 0}, *tp = &ts;
		int r;
		if (deadline == KEEL_DEADLINE_NONE) {
			tp = NULL;
		} else if (deadline) {
			uint64_t now = now_ns(), left = now < deadline ? deadline - now : 0;
			ts.tv_sec = (time_t)(left / 1000000000ull);
			ts.tv_nsec = (long)(left % 1000000000ull);
		}
		r = ppoll(pfd, (nfds_t)n, tp, NULL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno_to_keel(errno);
		for (i = 0; i < n; i++)
			if (pfd[i].revents)
				return (long)i;
		if ((r = (int)keel_wait_verdict(deadline, now_ns())))
			return r;
	}
}
