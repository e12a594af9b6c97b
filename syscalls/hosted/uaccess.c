/*
 * User memory, hosted (docs/hosted.md "Bad pointers"): every hosted call
 * that reads or writes a caller's buffer does it through hosted_guard, so a
 * bad pointer is KEEL_EFAULT as booted (kernel/mm/uaccess.c) instead of a
 * SIGSEGV in the shim, and without a syscall on the way: a fault-fixup
 * scheme like the kernel's exception tables.
 *
 * hosted_guard sets a thread-local "copy in progress" jump point
 * (sigsetjmp without the signal mask: no syscall) and runs the copy; the
 * SIGSEGV/SIGBUS handler this file installs on first use siglongjmps back
 * to it when the fault happened inside such a copy. Any other fault is not
 * ours: the handler puts back the action that was there before (normally
 * SIG_DFL) and returns, so the faulting instruction runs again and the task
 * dies of it as it would have (keel-hosted: "killed by signal 11"); a
 * SIGSEGV sent with kill() is raised again under that action. SA_NODEFER
 * keeps the signal unblocked after the siglongjmp, so the mask needs no
 * restoring. No alternate stack: a guarded copy never faults on the stack
 * (stack overflow is a real crash and stays one).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include <keel/syscall.h>

#include "hosted.h"

/* The kernel's USER_TOP (kernel/mm/pt.h): the first address past the user half. */
#define HOSTED_USER_TOP 0x0000800000000000ull
#define PAGE 4096ull

static __thread sigjmp_buf *volatile guard_jb;
static struct sigaction old_segv, old_bus;
static int installed; /* 0 no, 1 being installed, 2 yes */

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	sigjmp_buf *jb = guard_jb;
	(void)ctx;
	if (jb && si->si_code > 0) { /* a fault (not kill()) inside a guarded copy */
		guard_jb = NULL;
		siglongjmp(*jb, 1);
	}
	sigaction(sig, sig == SIGSEGV ? &old_segv : &old_bus, NULL);
	if (si->si_code <= 0)
		raise(sig);
	/* a real fault: returning runs the instruction again, under the old action */
}

static void set_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
}

static void install(void)
{
	int want = 0;
	if (__atomic_load_n(&installed, __ATOMIC_ACQUIRE) == 2)
		return;
	if (!__atomic_compare_exchange_n(&installed, &want, 1, 0, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&installed, __ATOMIC_ACQUIRE) != 2)
			; /* another thread is installing it: microseconds */
		return;
	}
	set_handlers();
	__atomic_store_n(&installed, 2, __ATOMIC_RELEASE);
}

/*
 * Installs the handler again, over whatever code that runs later set for
 * SIGSEGV/SIGBUS (a test harness's per-test handler), chaining to it.
 */
void hosted_guard_install(void)
{
	install();
	set_handlers();
}

long hosted_guard(void (*fn)(void *), void *arg)
{
	sigjmp_buf jb;
	install();
	if (sigsetjmp(jb, 0)) {
		__asm__ volatile("" ::: "memory");
		return KEEL_EFAULT; /* the handler cleared guard_jb */
	}
	guard_jb = &jb;
	__asm__ volatile("" ::: "memory");
	fn(arg);
	__asm__ volatile("" ::: "memory");
	guard_jb = NULL;
	return 0;
}

struct copy_args {
	void *dst;
	const void *src;
	size_t n;
};

static void do_copy(void *a)
{
	struct copy_args *c = a;
	memcpy(c->dst, c->src, c->n);
}

long hosted_copy(void *dst, const void *src, size_t n)
{
	struct copy_args c = {dst, src, n};
	return n ? hosted_guard(do_copy, &c) : 0;
}

struct probe_args {
	volatile uint8_t *p;
	size_t n;
	int write;
};

/*
 * Touches one byte per page of [p, p+n) (and the last): a read, or for an
 * output buffer a read and a write of the same value (a plain one: an
 * atomic add of 0 cost 14 ns a page, 240 ns for a 64 KiB receive buffer;
 * the call is about to overwrite the buffer anyway, so a thread racing on
 * it loses nothing it would not lose to the call).
 */
static void do_probe(void *a)
{
	struct probe_args *pr = a;
	uintptr_t b = (uintptr_t)pr->p, end = b + pr->n - 1, pg, k = 0;
	for (pg = b & ~(uintptr_t)(PAGE - 1);; pg += PAGE, k++) {
		/* any byte proves its page: a different line in each (the same offset in every
		 * page makes each load wait on the store before it, 4 KiB aliasing) */
		uintptr_t at = pg + ((k * 64) & (PAGE - 1));
		volatile uint8_t *q = (volatile uint8_t *)(at < b ? b : at > end ? end : at);
		uint8_t v = *q;
		if (pr->write)
			*q = v;
		if (pg >= (end & ~(uintptr_t)(PAGE - 1)))
			break;
	}
}

long hosted_user_check(const void *p, size_t n, int write)
{
	struct probe_args pr = {(volatile uint8_t *)p, n, write};
	uint64_t a = (uintptr_t)p;
	if (a > HOSTED_USER_TOP || n > HOSTED_USER_TOP - a)
		return KEEL_EFAULT; /* the kernel's range_ok, n == 0 too */
	return n ? hosted_guard(do_probe, &pr) : 0;
}
