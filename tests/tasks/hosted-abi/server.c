/*
 * abi-server MODE: the receiving side of the channel-ABI tests (client.c).
 *   die    take one call, then fault holding it (expect=fault)
 *   size   too-small receive buffers and too-big replies -> KEEL_ETOOBIG
 *   echo   answer calls on handles 1 and 2 via keel_wait until both peers close
 *   wait   keel_wait: poll, timeout, which-handle, peer-gone, bad arguments
 *   fault  bad receive and reply buffers -> KEEL_EFAULT, nothing taken or sent (also reply_recv)
 */
#include <string.h>

#include "abi.h"

static uint8_t buf[KEEL_MSG_MAX + 16];
/* An address no task has mapped; volatile so the compiler cannot see through it. */
static volatile uintptr_t unmapped = 8;

static volatile uintptr_t noncanon = 1ull << 63;

static void fault(void)
{
	long err = 0;
	uint8_t *ro = keel_mem_map(4096, KEEL_PROT_READ, &err);
	abi_check("fault: a read-only page", ro != NULL, 1);
	abi_check("fault: recv into an unmapped buffer -> EFAULT", keel_chan_recv(1, (void *)unmapped, 64),
		  KEEL_EFAULT);
	abi_check("fault: recv into a read-only buffer -> EFAULT", keel_chan_recv(1, ro, 64), KEEL_EFAULT);
	abi_check("fault: recv into a non-canonical buffer -> EFAULT",
		  keel_chan_recv(1, (void *)noncanon, 64), KEEL_EFAULT);
	abi_check("fault: reply from an unmapped buffer, nothing received -> EFAULT (before EINVAL)",
		  keel_chan_reply(1, (const void *)unmapped, 8), KEEL_EFAULT);
	buf[7] = 0;
	abi_check("fault: recv the first request -> 8", keel_chan_recv(1, buf, sizeof(buf)), 8);
	abi_check("fault: it is the client's good call (marker), no bad one came through", buf[7], 0x5a);
	abi_check("fault: recv into a bad buffer while a reply is owed -> EFAULT (before EBUSY)",
		  keel_chan_recv(1, (void *)unmapped, 64), KEEL_EFAULT);
	abi_check("fault: reply_recv on a bad handle -> EBADHANDLE",
		  keel_chan_reply_recv(0x7777, buf, 8, buf, sizeof(buf)), KEEL_EBADHANDLE);
	abi_check("fault: reply_recv into a bad receive buffer -> EFAULT, nothing replied",
		  keel_chan_reply_recv(1, buf, 8, (void *)unmapped, 64), KEEL_EFAULT);
	abi_check("fault: reply from an unmapped buffer -> EFAULT", keel_chan_reply(1, (const void *)unmapped, 8),
		  KEEL_EFAULT);
	abi_check("fault: reply from a non-canonical buffer -> EFAULT",
		  keel_chan_reply(1, (const void *)noncanon, 8), KEEL_EFAULT);
	abi_check("fault: the reply is still owed: recv -> EBUSY", keel_chan_recv(1, buf, sizeof(buf)),
		  KEEL_EBUSY);
	abi_check("fault: reply -> 0", keel_chan_reply(1, buf, 8), 0);
	abi_check("fault: recv the second request -> 8", keel_chan_recv(1, buf, sizeof(buf)), 8);
	abi_check("fault: reply > KEEL_MSG_MAX from an unmapped buffer -> ETOOBIG (length first)",
		  keel_chan_reply(1, (const void *)unmapped, KEEL_MSG_MAX + 1), KEEL_ETOOBIG);
	abi_check("fault: client gone -> EPEERCLOSED", keel_chan_recv(1, buf, sizeof(buf)), KEEL_EPEERCLOSED);
}

static _Noreturn void die(void)
{
	abi_check("die: receive the call -> 8", keel_chan_recv(1, buf, sizeof(buf)), 8);
	abi_note("faulting on purpose with the call unanswered");
	*(volatile int *)unmapped = 1;
	keel_exit(3); /* not reached */
}

static void size(void)
{
	abi_check("size: 1000-byte request into a 64-byte recv -> ETOOBIG (receiver)",
		  keel_chan_recv(1, buf, 64), KEEL_ETOOBIG);
	abi_check("size: next request -> 100", keel_chan_recv(1, buf, sizeof(buf)), 100);
	abi_check("size: 200-byte reply into rsp_cap 50 -> ETOOBIG (server)",
		  keel_chan_reply(1, buf, 200), KEEL_ETOOBIG);
	abi_check("size: next request -> 8", keel_chan_recv(1, buf, sizeof(buf)), 8);
	abi_check("size: reply > KEEL_MSG_MAX -> ETOOBIG (server)",
		  keel_chan_reply(1, buf, KEEL_MSG_MAX + 1), KEEL_ETOOBIG);
	abi_check("size: full-size request -> KEEL_MSG_MAX", keel_chan_recv(1, buf, sizeof(buf)),
		  (long)KEEL_MSG_MAX);
	abi_check("size: reply of exactly rsp_cap -> 0", keel_chan_reply(1, buf, 24), 0);
	abi_check("size: client gone -> EPEERCLOSED", keel_chan_recv(1, buf, sizeof(buf)),
		  KEEL_EPEERCLOSED);
	abi_check("size: reply with nothing received, client gone -> EINVAL", keel_chan_reply(1, buf, 8),
		  KEEL_EINVAL);
	abi_check("size: reply_recv with nothing received -> EINVAL (the reply first)",
		  keel_chan_reply_recv(1, buf, 8, buf, sizeof(buf)), KEEL_EINVAL);
}

static void echo(void)
{
	keel_handle_t hs[2] = {1, 2};
	size_t n = 2;
	while (n) {
		long i = keel_wait(hs, n, KEEL_WAIT_FOREVER), r;
		if (!abi_check("echo: wait -> a valid index", i >= 0 && (size_t)i < n, 1))
			return;
		r = keel_chan_recv(hs[i], buf, sizeof(buf));
		if (r == KEEL_EPEERCLOSED) {
			abi_note(hs[i] == 2 ? "echo: peer closed handle 2" : "echo: peer gone on handle 1");
			hs[i] = hs[--n];
			continue;
		}
		if (!abi_check("echo: recv -> 8", r, 8) || !abi_check("echo: reply -> 0",
								    keel_chan_reply(hs[i], buf, 8), 0))
			return;
	}
}

static void wait_checks(void)
{
	keel_handle_t hs[3] = {1, 2, 3}, bad[2] = {1, 40};
	struct keel_msg ping = {KEEL_OP_PING, 0};
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC), dt;
	abi_check("wait: nothing pending, KEEL_WAIT_POLL -> EAGAIN", keel_wait(hs, 3, KEEL_WAIT_POLL),
		  KEEL_EAGAIN);
	abi_check("wait: nothing pending, 2 ms -> ETIMEDOUT", keel_wait(hs, 3, 2000000), KEEL_ETIMEDOUT);
	dt = keel_time(KEEL_CLOCK_MONOTONIC) - t0;
	abi_check("wait: the timeout lasted at least 2 ms", dt >= 2000000, 1);
	abi_check("wait: ready call to the client on handle 3 -> 8",
		  keel_chan_call(3, &ping, sizeof(ping), buf, sizeof(buf)), 8);
	abi_check("wait: client calls on handle 2 -> index 1", keel_wait(hs, 2, KEEL_WAIT_FOREVER), 1);
	abi_check("wait: recv it -> 8", keel_chan_recv(2, buf, sizeof(buf)), 8);
	abi_check("wait: reply -> 0", keel_chan_reply(2, buf, 8), 0);
	abi_check("wait: client closed handle 1 -> index 0", keel_wait(hs, 1, KEEL_WAIT_FOREVER), 0);
	abi_check("wait: recv on it -> EPEERCLOSED", keel_chan_recv(1, buf, sizeof(buf)),
		  KEEL_EPEERCLOSED);
	abi_check("wait: n = 0 -> EINVAL", keel_wait(hs, 0, KEEL_WAIT_POLL), KEEL_EINVAL);
	abi_check("wait: a never-given handle -> EBADHANDLE", keel_wait(bad, 2, KEEL_WAIT_POLL),
		  KEEL_EBADHANDLE);
	abi_check("wait: second call on handle 2, timeout 2^64-2 ns (past the clock's end: no wrap) -> index 0",
		  keel_wait(&hs[1], 1, KEEL_WAIT_FOREVER - 1), 0);
	abi_check("wait: recv it -> 8", keel_chan_recv(2, buf, sizeof(buf)), 8);
	abi_check("wait: reply -> 0", keel_chan_reply(2, buf, 8), 0);
	abi_check("wait: client exited -> EPEERCLOSED", keel_chan_recv(2, buf, sizeof(buf)),
		  KEEL_EPEERCLOSED);
}

/*
 * The crossing pair's witness: each crosser calls it (handles 1 and 2) just
 * before its crossing call, so the run, which ends when this task does,
 * cannot end before both have logged their note, however loaded the
 * machine. No abi_check: the check count stays the same both ways.
 */
static int witness(void)
{
	for (keel_handle_t h = 1; h <= 2; h++)
		if (keel_chan_recv(h, buf, sizeof(buf)) < 0 || keel_chan_reply(h, buf, 8) != 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "die"))
		die();
	else if (!strcmp(mode, "size"))
		size();
	else if (!strcmp(mode, "echo"))
		echo();
	else if (!strcmp(mode, "wait"))
		wait_checks();
	else if (!strcmp(mode, "fault"))
		fault();
	else if (!strcmp(mode, "witness"))
		return witness();
	else
		abi_check("known mode", 0, 1);
	return abi_status();
}
