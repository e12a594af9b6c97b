/*
 * The rules the kernel and the hosted shim share from one source:
 * KEEL_SYSCALLS (keel/syscall_numbers.h), from which both dispatch tables
 * are made, must have a hosted implementation behind every number (a
 * missing hosted_sys_NAME already fails the link; here no number answers
 * KEEL_ENOSYS through keel_syscall6), and keel_wait's deadline
 * (keel/deadline.h) at the edges of the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <keel/deadline.h>
#include <keel/syscall.h>

#include "hosted.h"

struct entry {
	long nr;
	const char *name;
	int nargs;
};

#define ENTRY_(nr, NAME, name, nargs) {nr, #name, nargs},
static const struct entry list[] = {KEEL_SYSCALLS(ENTRY_)};
#undef ENTRY_

static void every_listed_call_is_implemented_hosted(void **state)
{
	(void)state;
	assert_true(sizeof(list) / sizeof(list[0]) > 0);
	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		long r;
		assert_true(list[i].nr >= 0 && list[i].nr < KEEL_SYS_COUNT);
		assert_true(list[i].nargs >= 0 && list[i].nargs <= 6);
		if (list[i].nr == KEEL_SYS_EXIT)
			continue; /* below, in a child */
		/* all-zero arguments: each call's own error (or 0), never "no such call" */
		r = keel_syscall6(list[i].nr, 0, 0, 0, 0, 0, 0);
		if (r == KEEL_ENOSYS)
			fail_msg("keel_syscall6(%ld) (%s) is KEEL_ENOSYS hosted", list[i].nr, list[i].name);
	}
}

static void exit_by_number_exits(void **state)
{
	int st = 0;
	pid_t pid = fork();
	(void)state;
	assert_true(pid >= 0);
	if (pid == 0) {
		keel_syscall6(KEEL_SYS_EXIT, 7, 0, 0, 0, 0, 0);
		_exit(99);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
}

static void numbers_outside_the_list_are_enosys(void **state)
{
	(void)state;
	assert_int_equal(keel_syscall6(KEEL_SYS_COUNT, 0, 0, 0, 0, 0, 0), KEEL_ENOSYS);
	assert_int_equal(keel_syscall6(-1, 0, 0, 0, 0, 0, 0), KEEL_ENOSYS);
	assert_int_equal(keel_syscall6((1l << 32) | KEEL_SYS_YIELD, 0, 0, 0, 0, 0, 0), KEEL_ENOSYS);
}

static void wait_deadline_edges(void **state)
{
	(void)state;
	assert_int_equal(keel_wait_deadline(1000, KEEL_WAIT_POLL), 0);
	assert_true(keel_wait_deadline(1000, KEEL_WAIT_FOREVER) == KEEL_DEADLINE_NONE);
	assert_true(keel_wait_deadline(1000, 5) == 1005);
	assert_true(keel_wait_deadline(0, 1) == 1);
	/* past the end of the clock, or onto its last value: forever, never a wrapped early deadline */
	assert_true(keel_wait_deadline(UINT64_MAX - 10, 20) == KEEL_DEADLINE_NONE);
	assert_true(keel_wait_deadline(UINT64_MAX - 10, 10) == KEEL_DEADLINE_NONE);
	assert_true(keel_wait_deadline(UINT64_MAX - 10, 9) == UINT64_MAX - 1);
	assert_true(keel_wait_deadline(100, UINT64_MAX - 1) == KEEL_DEADLINE_NONE);
	assert_int_equal(keel_wait_verdict(0, 5), KEEL_EAGAIN);
	assert_int_equal(keel_wait_verdict(10, 9), 0);
	assert_int_equal(keel_wait_verdict(10, 10), KEEL_ETIMEDOUT);
	assert_int_equal(keel_wait_verdict(KEEL_DEADLINE_NONE, UINT64_MAX - 1), 0);
}

/*
 * The socket transport (an end without a mailbox, slot 1 = fd 101): a call
 * of the peer's that crosses ours is held for our next recv, as booted
 * leaves it pending (kernel/ipc/chan.c), not refused with EBUSY. The peer
 * is raw frames on the other socket, driven by a thread.
 */
static int peer_fd;

static void *crossing_peer(void *arg)
{
	struct {
		struct hosted_frame f;
		uint8_t b[64];
	} in, out;
	(void)arg;
	memset(&out, 0, sizeof(out));
	out.f = (struct hosted_frame){.kind = HOSTED_REQ, .rsp_cap = 64};
	memset(out.b, 0x88, 8);
	send(peer_fd, &out, sizeof(out.f) + 8, 0); /* the peer calls us ... */
	recv(peer_fd, &in, sizeof(in), 0);        /* ... and gets our call */
	out.f = (struct hosted_frame){.kind = HOSTED_RSP};
	memset(out.b, 0x99, 8);
	send(peer_fd, &out, sizeof(out.f) + 8, 0); /* which it answers (another thread of it) */
	recv(peer_fd, &in, sizeof(in), 0);        /* then our answer to its call */
	return (void *)(uintptr_t)(in.f.kind == HOSTED_RSP && in.b[0] == 0x77 ? 1 : 0);
}

static void socket_crossing_call_is_held_for_recv(void **state)
{
	int sv[2];
	uint8_t buf[64] = {0}, req[8] = {1};
	pthread_t t;
	void *ok = NULL;
	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(dup2(sv[0], KEEL_HOSTED_FD_BASE + 1), KEEL_HOSTED_FD_BASE + 1);
	close(sv[0]);
	peer_fd = sv[1];
	assert_int_equal(pthread_create(&t, NULL, crossing_peer, NULL), 0);
	assert_int_equal(keel_chan_call(1, req, sizeof(req), buf, sizeof(buf)), 8);
	assert_int_equal(buf[0], 0x99);
	assert_int_equal(keel_wait((const keel_handle_t[]){1}, 1, KEEL_WAIT_POLL), 0);
	assert_int_equal(keel_chan_recv(1, (void *)8, sizeof(buf)), KEEL_EFAULT); /* still held */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(keel_chan_recv(1, buf, sizeof(buf)), 8);
	assert_int_equal(buf[0], 0x88);
	memset(buf, 0x77, 8);
	assert_int_equal(keel_chan_reply(1, buf, 8), 0);
	pthread_join(t, &ok);
	assert_int_equal((uintptr_t)ok, 1);
	assert_int_equal(keel_handle_close(1), 0);
	close(peer_fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: the handle table is read at the first call */
		cmocka_unit_test(socket_crossing_call_is_held_for_recv),
		cmocka_unit_test(every_listed_call_is_implemented_hosted),
		cmocka_unit_test(exit_by_number_exits),
		cmocka_unit_test(numbers_outside_the_list_are_enosys),
		cmocka_unit_test(wait_deadline_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
