/*
 * abi-client MODE: the calling side of the channel-ABI tests.
 *   death    the server dies holding our call -> KEEL_EPEERCLOSED
 *   size     too-big requests and replies -> KEEL_ETOOBIG
 *   handles  stale, closed and never-given handles -> KEEL_EBADHANDLE
 *   wait     drives abi-server's keel_wait over three handles
 */
#include <string.h>

#include "abi.h"

static uint8_t big[KEEL_MSG_MAX + 16], rsp[KEEL_MSG_MAX + 16];

static long call(keel_handle_t h, size_t len, size_t cap)
{
	struct keel_msg *m = (struct keel_msg *)big;
	m->op = KEEL_OP_PING;
	m->len = len >= sizeof(*m) ? (uint32_t)(len - sizeof(*m)) : 0;
	return keel_chan_call(h, big, len, rsp, cap);
}

static void death(void)
{
	abi_check("death: call while the server dies -> EPEERCLOSED", call(1, 8, sizeof(rsp)),
		  KEEL_EPEERCLOSED);
	abi_check("death: a later call -> EPEERCLOSED", call(1, 8, sizeof(rsp)), KEEL_EPEERCLOSED);
	abi_check("death: recv on the dead channel -> EPEERCLOSED", keel_chan_recv(1, rsp, 64),
		  KEEL_EPEERCLOSED);
}

static void size(void)
{
	abi_check("size: request > KEEL_MSG_MAX -> ETOOBIG (caller)", call(1, KEEL_MSG_MAX + 1, 64),
		  KEEL_ETOOBIG);
	abi_check("size: 1000-byte request into a 64-byte recv -> ETOOBIG (caller)",
		  call(1, 1000, sizeof(rsp)), KEEL_ETOOBIG);
	abi_check("size: 200-byte reply into rsp_cap 50 -> ETOOBIG (caller)", call(1, 100, 50),
		  KEEL_ETOOBIG);
	abi_check("size: reply > KEEL_MSG_MAX -> ETOOBIG (caller)", call(1, 8, sizeof(rsp)),
		  KEEL_ETOOBIG);
	abi_check("size: full-size request, reply exactly rsp_cap -> 24", call(1, KEEL_MSG_MAX, 24),
		  24);
}

static void handles(void)
{
	abi_check("handles: call on handle 1 -> 8", call(1, 8, 64), 8);
	abi_check("handles: reply with nothing received -> EINVAL", keel_chan_reply(1, big, 8),
		  KEEL_EINVAL);
	abi_check("handles: never-given slot 40 -> EBADHANDLE", call(40, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: slot 1000 -> EBADHANDLE", call(1000, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: slot 1 with generation 1 -> EBADHANDLE", call(KEEL_HANDLE_MAKE(1, 1), 8, 64),
		  KEEL_EBADHANDLE);
	abi_check("handles: close handle 2 -> 0", keel_handle_close(2), 0);
	abi_check("handles: call on the closed handle 2 -> EBADHANDLE", call(2, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: close it again -> EBADHANDLE", keel_handle_close(2), KEEL_EBADHANDLE);
	abi_check("handles: slot 2 at the next generation is still closed -> EBADHANDLE",
		  call(KEEL_HANDLE_MAKE(2, 1), 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: wait on a stale handle -> EBADHANDLE",
		  keel_wait((const keel_handle_t[]){1, 2}, 2, KEEL_WAIT_POLL), KEEL_EBADHANDLE);
	abi_check("handles: raw syscall 999 -> ENOSYS", keel_syscall6(999, 0, 0, 0, 0, 0, 0),
		  KEEL_ENOSYS);
	abi_check("handles: handle 1 still works -> 8", call(1, 8, 64), 8);
}

static void wait_peer(void)
{
	long n = keel_chan_recv(3, rsp, sizeof(rsp));
	abi_check("wait: the server's ready call arrives on handle 3 -> 8", n, 8);
	abi_check("wait: reply to it -> 0", keel_chan_reply(3, rsp, 8), 0);
	abi_check("wait: call on handle 2 -> 8", call(2, 8, 64), 8);
	abi_check("wait: close handle 1 -> 0", keel_handle_close(1), 0);
	abi_check("wait: call on handle 2 again -> 8", call(2, 8, 64), 8);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "death"))
		death();
	else if (!strcmp(mode, "size"))
		size();
	else if (!strcmp(mode, "handles"))
		handles();
	else if (!strcmp(mode, "wait"))
		wait_peer();
	else
		abi_check("known mode", 0, 1);
	return abi_status();
}
