/*
 * The mailbox transport of hosted channels (hosted.h, docs/hosted.md
 * "Channel transport"): a sealed memfd per channel, mapped shared by both
 * ends, one request lane and one answer lane per end, futex wait/wake on a
 * per-end word. The results are the socket transport's (chan.c), check for
 * check: sizes (ETOOBIG on both sides), a crossing call left pending, peer
 * death as EPEERCLOSED; a bad caller buffer is KEEL_EFAULT (uaccess.c's
 * fault guard around every copy to or from it) with nothing published.
 *
 * The peer may be hostile and shares the memory: every field of its end is
 * loaded once, bounded, and the message is copied into our own buffer
 * before anyone looks at it (copy in before parsing, copy out before
 * checking). Our own end is never read back for decisions: what we posted
 * is tracked in struct hosted_ep, private to this process.
 *
 * Peer death: keel-hosted marks a task's ends closed and wakes their peers
 * when it reaps the task (hosted_mbox_mark_closed); keel_handle_close does
 * the same for one end. The channel socket stays as a backstop: where no
 * launcher watches the peer (e->watched == 0) a sleep lasts at most
 * BACKSTOP_NS, then the socket is asked for a hang-up.
 *
 * No spinning by default. A receiver moves itself to its caller's CPU
 * (sched_setaffinity, only when the CPU changes), so a round trip is two
 * same-CPU wake-ups instead of cross-CPU ones; KEEL_HOSTED_FOLLOW=0 turns
 * that off. Poll mode (KEEL_HOSTED_POLL_NS=N, keel-hosted --poll): the
 * receiver keeps to a CPU other than its caller's and spins up to N ns on
 * the mailbox before sleeping, and so does a caller waiting for its reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <keel/syscall.h>

#include "hosted.h"

#define BACKSTOP_NS 500000000ull
#define LD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define LDA(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

static long poll_ns = -1;
static int follow = -1;

uint64_t hosted_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void config(void)
{
	if (poll_ns < 0) {
		const char *s = getenv(KEEL_HOSTED_POLL_ENV);
		long v = s ? atol(s) : 0;
		poll_ns = v > 0 ? v : 0;
	}
	if (follow < 0) {
		const char *s = getenv(KEEL_HOSTED_FOLLOW_ENV);
		follow = !(s && !strcmp(s, "0"));
	}
}

void hosted_mbox_set_poll(long ns)
{
	poll_ns = ns > 0 ? ns : 0;
}

static struct hosted_mbox_end *self_of(struct hosted_ep *e)
{
	return &e->mb->end[e->me];
}

static struct hosted_mbox_end *peer_of(struct hosted_ep *e)
{
	return &e->mb->end[!e->me];
}

static long futex(uint32_t *w, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, w, op, val, ts, NULL, 0);
}

static void notify(struct hosted_mbox_end *to)
{
	__atomic_add_fetch(&to->wake, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&to->waiting, __ATOMIC_SEQ_CST))
		futex(&to->wake, FUTEX_WAKE, INT_MAX, NULL);
}

/*
 * The bytes of buf[0..len) up to its last non-zero one: only those cross to
 * the peer's CPU (a 4 KiB vTPM page is mostly zeros), the receiver fills in
 * the zeros from its own cache.
 */
static size_t nonzero_len(const uint8_t *buf, size_t len)
{
	uint64_t w;
	while (len >= 8) {
		memcpy(&w, buf + len - 8, 8);
		if (w)
			break;
		len -= 8;
	}
	while (len && !buf[len - 1])
		len--;
	return len;
}

/* Copies a message out of the peer's lane: `sent` bytes, then zeros up to `len`. */
struct copy_out_args {
	void *dst;
	const struct hosted_lane *l;
	uint64_t len, sent;
};

static void do_copy_out(void *a)
{
	struct copy_out_args *c = a;
	memcpy(c->dst, c->l->data, (size_t)c->sent);
	memset((uint8_t *)c->dst + c->sent, 0, (size_t)(c->len - c->sent));
}

/* Into the caller's buffer under the fault guard (uaccess.c): 0 or KEEL_EFAULT. */
static long copy_out(void *dst, const struct hosted_lane *l, uint64_t len, uint64_t sent)
{
	struct copy_out_args c = {dst, l, len, sent};
	if (c.sent > len)
		c.sent = len; /* a hostile peer's claim: the message is still len bytes */
	return len ? hosted_guard(do_copy_out, &c) : 0;
}

struct fill_args {
	struct hosted_lane *l;
	const void *buf;
	size_t len, sent;
};

static void do_fill(void *a)
{
	struct fill_args *f = a;
	f->sent = f->len > 512 ? nonzero_len(f->buf, f->len) : f->len;
	if (f->sent)
		memcpy(f->l->data, f->buf, f->sent);
}

/*
 * Posts a message on our lane `l`: the data (the caller's buffer, read
 * under the fault guard), then the fields, then `seq` (release), then the
 * peer's wake-up. A bad buffer is KEEL_EFAULT with nothing published: the
 * peer looks at nothing before `seq` changes.
 */
static long post(struct hosted_ep *e, struct hosted_lane *l, uint32_t seq, uint32_t kind,
		 int32_t status, uint32_t answers, const void *buf, size_t len, uint64_t rsp_cap)
{
	struct fill_args f = {l, buf, len, 0};
	if (len && hosted_guard(do_fill, &f))
		return KEEL_EFAULT;
	__atomic_store_n(&l->sent, (uint64_t)f.sent, __ATOMIC_RELAXED);
	__atomic_store_n(&l->kind, kind, __ATOMIC_RELAXED);
	__atomic_store_n(&l->status, status, __ATOMIC_RELAXED);
	__atomic_store_n(&l->answers, answers, __ATOMIC_RELAXED);
	__atomic_store_n(&l->len, (uint64_t)len, __ATOMIC_RELAXED);
	__atomic_store_n(&l->rsp_cap, rsp_cap, __ATOMIC_RELAXED);
	__atomic_store_n(&l->cpu, kind == HOSTED_REQ ? sched_getcpu() : -1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->seq, seq, __ATOMIC_RELEASE);
	notify(peer_of(e));
	return 0;
}

/* The socket backstop: a hang-up there means the peer is gone. */
static void check_socket(struct hosted_ep *e)
{
	struct pollfd p = {e->fd, POLLIN, 0};
	if (e->fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
		e->peer_dead = 1;
}

static int peer_gone(struct hosted_ep *e)
{
	return e->peer_dead || LDA(peer_of(e)->closed);
}

/*
 * Something to act on: for a receiver a new request, for a caller a new
 * answer; or the peer gone. A caller does not look at the peer's requests:
 * a call crossing ours stays pending until we receive it, as booted
 * (kernel/ipc/chan.c), so two tasks calling each other both wait.
 */
static int cond_met(struct hosted_ep *e, int for_call)
{
	struct hosted_mbox_end *p = peer_of(e);
	if (for_call ? LDA(p->rsp.seq) != e->peer_rsp_seen : LDA(p->req.seq) != e->peer_req_seen)
		return 1;
	return peer_gone(e);
}

int hosted_mbox_ready(struct hosted_ep *e)
{
	return cond_met(e, 0);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static int spin(struct hosted_ep *e, int for_call)
{
	uint64_t end = hosted_now_ns() + (uint64_t)poll_ns;
	unsigned i;
	for (i = 1;; i++) {
		if (cond_met(e, for_call))
			return 1;
		cpu_relax();
		if (!(i & 63) && hosted_now_ns() >= end)
			return 0;
	}
}

static void wait_for(struct hosted_ep *e, int for_call)
{
	struct hosted_mbox_end *me = self_of(e);
	if (cond_met(e, for_call) || (poll_ns > 0 && spin(e, for_call)))
		return;
	for (;;) {
		uint32_t v = LDA(me->wake);
		int met;
		__atomic_add_fetch(&me->waiting, 1, __ATOMIC_SEQ_CST);
		met = cond_met(e, for_call);
		if (!met) {
			struct timespec ts = {BACKSTOP_NS / 1000000000ull, BACKSTOP_NS % 1000000000ull};
			/* arming a timer per sleep costs µs on a VM: only where no launcher watches */
			if (futex(&me->wake, FUTEX_WAIT, v, e->watched ? NULL : &ts) < 0 &&
			    errno == ETIMEDOUT)
				check_socket(e);
		}
		__atomic_sub_fetch(&me->waiting, 1, __ATOMIC_SEQ_CST);
		if (met || cond_met(e, for_call))
			return;
	}
}

/*
 * The receiver side of co-location: keep to the caller's CPU (default) or,
 * in poll mode, to another one. Only CPUs this task was allowed at its
 * first request are used; a bogus `cpu` from the peer is ignored.
 */
static int follow_init, follow_usable, pinned = -1;
static cpu_set_t allowed;

static int follow_ready(void)
{
	if (!follow_init) {
		follow_init = 1;
		follow_usable =
			!sched_getaffinity(0, sizeof(allowed), &allowed) && CPU_COUNT(&allowed) > 1;
	}
	return follow && follow_usable;
}

/*
 * The caller side: a task's first call pins it to the CPU it is on, unless
 * it already follows a caller of its own. Without it, a reply's futex wake
 * (no sync hint, unlike a socket's) often puts the caller on the other,
 * idle CPU, the receiver follows it there, and the pair chases each other
 * across CPUs with a migration per call.
 */
void hosted_mbox_stay(void)
{
	cpu_set_t one;
	int cpu;
	config();
	if (pinned >= 0 || !follow_ready())
		return;
	cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (!sched_setaffinity(0, sizeof(one), &one))
		pinned = cpu;
}

static void follow_cpu(int32_t cpu)
{
	cpu_set_t one;
	int target = cpu, i, n;
	if (cpu < 0 || cpu >= CPU_SETSIZE || !follow_ready() || !CPU_ISSET(cpu, &allowed))
		return;
	if (poll_ns > 0) { /* a core of its own: the next allowed CPU after the caller's */
		if (pinned >= 0 && pinned != cpu)
			return;
		for (i = 1, n = cpu; i < CPU_SETSIZE; i++) {
			n = (cpu + i) % CPU_SETSIZE;
			if (CPU_ISSET(n, &allowed))
				break;
		}
		target = n;
	}
	if (target == pinned)
		return;
	CPU_ZERO(&one);
	CPU_SET(target, &one);
	if (!sched_setaffinity(0, sizeof(one), &one))
		pinned = target;
}

/*
 * A launcher thread that calls a service for a network client (the TPM
 * front end) keeps to the CPU the client's data last arrived on
 * (SO_INCOMING_CPU: on loopback, the client's own CPU), so client, front
 * end and service share one CPU: on a VM a wake-up across CPUs costs far
 * more than a switch on one. The thread runs SCHED_BATCH, so waking it
 * never preempts the client or the service halfway: each of them goes on
 * to block first, and a command costs no extra switches.
 */
void hosted_follow_client(int client_fd)
{
	static __thread int init, usable, pinned = -1, last_fd = -1;
	static __thread unsigned calls;
	static __thread cpu_set_t allowed;
	socklen_t len = sizeof(int);
	cpu_set_t one;
	int cpu = -1;
	config();
	if (!follow)
		return;
	if (!init) {
		struct sched_param sp = {0};
		init = 1;
		(void)sched_setscheduler(0, SCHED_BATCH, &sp);
		usable = !sched_getaffinity(0, sizeof(allowed), &allowed) && CPU_COUNT(&allowed) > 1;
	}
	/* getsockopt costs a syscall: ask per new client, then every 64th command */
	if (!usable || (client_fd == last_fd && (++calls & 63)))
		return;
	last_fd = client_fd;
	if (getsockopt(client_fd, SOL_SOCKET, SO_INCOMING_CPU, &cpu, &len) || cpu < 0 ||
	    cpu >= CPU_SETSIZE || cpu == pinned || !CPU_ISSET(cpu, &allowed))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (!sched_setaffinity(0, sizeof(one), &one))
		pinned = cpu;
}

long hosted_mbox_call(struct hosted_ep *e, const void *req, size_t req_len, void *rsp,
		      size_t rsp_cap)
{
	struct hosted_mbox_end *me = self_of(e), *p = peer_of(e);
	uint32_t seq;
	config();
	if (req_len > KEEL_MSG_MAX)
		return KEEL_ETOOBIG;
	if (peer_gone(e))
		return KEEL_EPEERCLOSED;
	seq = e->req_seq + 1;
	if (post(e, &me->req, seq, HOSTED_REQ, 0, 0, req, req_len, rsp_cap))
		return KEEL_EFAULT; /* nothing posted */
	e->req_seq = seq;
	for (;;) {
		uint32_t s;
		wait_for(e, 1);
		s = LDA(p->rsp.seq);
		if (s != e->peer_rsp_seen) {
			uint32_t kind = LD(p->rsp.kind), answers = LD(p->rsp.answers);
			int32_t status = LD(p->rsp.status);
			uint64_t len = LD(p->rsp.len), sent = LD(p->rsp.sent);
			e->peer_rsp_seen = s;
			if (answers != seq)
				continue; /* an answer to an earlier call: drop it */
			if (kind == HOSTED_ERR)
				return status < 0 ? status : KEEL_EINVAL;
			if (kind != HOSTED_RSP)
				return KEEL_EINVAL;
			if (len > rsp_cap || len > KEEL_MSG_MAX) /* the peer ignored our rsp_cap */
				return KEEL_ETOOBIG;
			if (copy_out(rsp, &p->rsp, len, sent))
				return KEEL_EFAULT; /* our buffer went bad during the call */
			return (long)len;
		}
		/* a request of the peer's crossing ours stays pending (cond_met) */
		if (peer_gone(e))
			return KEEL_EPEERCLOSED;
	}
}

long hosted_mbox_recv(struct hosted_ep *e, void *buf, size_t cap, uint64_t *caller_cap)
{
	struct hosted_mbox_end *p = peer_of(e);
	uint64_t len, rcap, sent;
	int32_t cpu;
	uint32_t s;
	config();
	for (;;) {
		wait_for(e, 0);
		s = LDA(p->req.seq);
		if (s != e->peer_req_seen)
			break;
		if (peer_gone(e))
			return KEEL_EPEERCLOSED;
	}
	e->peer_req_seen = s;
	len = LD(p->req.len);
	sent = LD(p->req.sent);
	rcap = LD(p->req.rsp_cap);
	cpu = LD(p->req.cpu);
	if (len > cap || len > KEEL_MSG_MAX) { /* both sides fail, nothing is truncated */
		(void)post(e, &self_of(e)->rsp, ++e->rsp_seq, HOSTED_ERR, KEEL_ETOOBIG, s, NULL, 0, 0);
		return KEEL_ETOOBIG;
	}
	if (copy_out(buf, &p->req, len, sent)) {
		/* our buffer went bad after the check: as booted, the caller's call fails too */
		(void)post(e, &self_of(e)->rsp, ++e->rsp_seq, HOSTED_ERR, KEEL_EPEERCLOSED, s, NULL, 0, 0);
		return KEEL_EFAULT;
	}
	e->answering = s;
	*caller_cap = rcap;
	follow_cpu(cpu);
	return (long)len;
}

long hosted_mbox_reply(struct hosted_ep *e, const void *buf, size_t len, int too_big)
{
	struct hosted_lane *l = &self_of(e)->rsp;
	if (peer_gone(e))
		return KEEL_EPEERCLOSED;
	if (too_big) {
		(void)post(e, l, ++e->rsp_seq, HOSTED_ERR, KEEL_ETOOBIG, e->answering, NULL, 0, 0);
		return KEEL_ETOOBIG;
	}
	if (post(e, l, e->rsp_seq + 1, HOSTED_RSP, 0, e->answering, buf, len, 0)) {
		/* our buffer was bad (after the check): as booted, the caller gets EPEERCLOSED */
		(void)post(e, l, ++e->rsp_seq, HOSTED_ERR, KEEL_EPEERCLOSED, e->answering, NULL, 0, 0);
		return KEEL_EFAULT;
	}
	++e->rsp_seq;
	return 0;
}

/*
 * keel_wait over mailbox ends: the index of the first ready one, KEEL_EAGAIN
 * (deadline 0: look once), KEEL_ETIMEDOUT once `deadline_ns` (CLOCK_MONOTONIC;
 * UINT64_MAX: none) has passed. Sleeps on every end's futex at once.
 */
long hosted_mbox_wait(struct hosted_ep *const *eps, size_t n, uint64_t deadline_ns)
{
	struct futex_waitv w[KEEL_MAX_HANDLES];
	size_t i;
	config();
	for (;;) {
		uint64_t now, until;
		struct timespec ts;
		long r;
		for (i = 0; i < n; i++)
			if (hosted_mbox_ready(eps[i]))
				return (long)i;
		if (deadline_ns == 0) {
			for (i = 0; i < n; i++) {
				check_socket(eps[i]);
				if (hosted_mbox_ready(eps[i]))
					return (long)i;
			}
			return KEEL_EAGAIN;
		}
		now = hosted_now_ns();
		if (now >= deadline_ns)
			return KEEL_ETIMEDOUT;
		until = deadline_ns - now > BACKSTOP_NS ? now + BACKSTOP_NS : deadline_ns;
		for (i = 0; i < n; i++) {
			struct hosted_mbox_end *me = self_of(eps[i]);
			w[i] = (struct futex_waitv){.val = LDA(me->wake), .uaddr = (uintptr_t)&me->wake,
						    .flags = FUTEX_32};
			__atomic_add_fetch(&me->waiting, 1, __ATOMIC_SEQ_CST);
		}
		for (i = 0; i < n && !hosted_mbox_ready(eps[i]); i++)
			;
		r = 0;
		if (i == n) {
			size_t unwatched = 0;
			for (i = 0; i < n; i++)
				unwatched += !eps[i]->watched;
			ts.tv_sec = (time_t)(until / 1000000000ull);
			ts.tv_nsec = (long)(until % 1000000000ull);
			r = syscall(SYS_futex_waitv, w, (unsigned)n, 0,
				    deadline_ns == UINT64_MAX && !unwatched ? NULL : &ts, CLOCK_MONOTONIC);
		}
		for (i = 0; i < n; i++)
			__atomic_sub_fetch(&self_of(eps[i])->waiting, 1, __ATOMIC_SEQ_CST);
		if (r < 0 && errno == ETIMEDOUT)
			for (i = 0; i < n; i++)
				check_socket(eps[i]);
	}
}

void hosted_mbox_mark_closed(struct hosted_mbox *mb, int which)
{
	struct hosted_mbox_end *peer = &mb->end[!which];
	__atomic_store_n(&mb->end[which].closed, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&peer->wake, 1, __ATOMIC_SEQ_CST);
	futex(&peer->wake, FUTEX_WAKE, INT_MAX, NULL); /* whatever its waiting count says */
}

void hosted_mbox_close(struct hosted_ep *e)
{
	hosted_mbox_mark_closed(e->mb, e->me);
}

struct hosted_mbox *hosted_mbox_map(int memfd)
{
	struct stat st;
	int seals = fcntl(memfd, F_GET_SEALS);
	void *p;
	/* Unsealed, a peer could shrink the file under us (SIGBUS on access). */
	if (seals < 0 || !(seals & F_SEAL_SHRINK) || fstat(memfd, &st) ||
	    (uint64_t)st.st_size < sizeof(struct hosted_mbox))
		return NULL;
	p = mmap(NULL, sizeof(struct hosted_mbox), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	return p == MAP_FAILED ? NULL : p;
}

int hosted_mbox_create(void)
{
	int fd = memfd_create("keel-channel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)sizeof(struct hosted_mbox)) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		close(fd);
		return -1;
	}
	return fd;
}
