/*
 * syscalls/hosted/mbox.c: the hosted channel mailbox against a hostile peer
 * (docs/hosted.md, "Channel transport"). End 0 is the code under test
 * (struct hosted_ep); the test plays end 1 by writing its lanes directly,
 * as a peer sharing the memory can: lengths past the limit, `sent` past
 * `len`, forged and stale answers, a flood of wake-ups, a truncation of
 * the memfd. Every case must give the documented KEEL_E*, never a crash,
 * an overrun of the caller's buffer or a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <keel/syscall.h>

#include "hosted.h"

static struct hosted_mbox *mb;
static struct hosted_ep ep;
static uint8_t buf[KEEL_MSG_MAX + 64];

static int setup(void **state)
{
	int fd = hosted_mbox_create();
	(void)state;
	if (fd < 0)
		return -1;
	mb = hosted_mbox_map(fd);
	close(fd);
	if (!mb)
		return -1;
	memset(&ep, 0, sizeof(ep));
	ep.mb = mb;
	ep.me = 0;
	ep.fd = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(mb, sizeof(*mb));
	return 0;
}

/* The peer (end 1) posts into one of its lanes. */
static void peer_post(struct hosted_lane *l, uint32_t kind, int32_t status, uint32_t answers,
		      uint64_t len, uint64_t sent, uint8_t fill)
{
	memset(l->data, fill, 256);
	l->kind = kind;
	l->status = status;
	l->answers = answers;
	l->len = len;
	l->sent = sent;
	l->rsp_cap = 64;
	l->cpu = -1;
	__atomic_store_n(&l->seq, l->seq + 1, __ATOMIC_RELEASE);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

static void *close_peer_later(void *arg)
{
	(void)arg;
	sleep_ms(50);
	hosted_mbox_mark_closed(mb, 1);
	return NULL;
}

static uint32_t answer_seq;

static void *answer_later(void *arg)
{
	(void)arg;
	sleep_ms(30);
	peer_post(&mb->end[1].rsp, HOSTED_RSP, 0, answer_seq, 8, 8, 0x99);
	__atomic_add_fetch(&mb->end[0].wake, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &mb->end[0].wake, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	return NULL;
}

static void *flood_then_call(void *arg)
{
	uint64_t end = hosted_now_ns() + 50000000ull;
	(void)arg;
	while (hosted_now_ns() < end) { /* wake-ups with nothing behind them */
		__atomic_add_fetch(&mb->end[0].wake, 1, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &mb->end[0].wake, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
	}
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 8, 8, 0x5a);
	__atomic_add_fetch(&mb->end[0].wake, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &mb->end[0].wake, 1, 1, NULL, NULL, 0);
	return NULL;
}

static void request_over_the_limit_is_etoobig_both_sides(void **state)
{
	uint64_t cap = 0;
	(void)state;
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, KEEL_MSG_MAX + 1, 16, 0x11);
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), KEEL_ETOOBIG);
	/* the caller is told: ERR(ETOOBIG) answering its request */
	assert_int_equal(mb->end[0].rsp.kind, HOSTED_ERR);
	assert_int_equal(mb->end[0].rsp.status, KEEL_ETOOBIG);
	assert_int_equal(mb->end[0].rsp.answers, mb->end[1].req.seq);
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, UINT64_MAX, UINT64_MAX, 0x11);
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), KEEL_ETOOBIG);
}

static void request_larger_than_cap_is_etoobig(void **state)
{
	uint64_t cap = 0;
	(void)state;
	memset(buf, 0xee, sizeof(buf));
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 100, 100, 0x22);
	assert_int_equal(hosted_mbox_recv(&ep, buf, 64, &cap), KEEL_ETOOBIG);
	assert_int_equal(buf[0], 0xee); /* nothing copied */
}

static void sent_past_len_copies_len_bytes_only(void **state)
{
	uint64_t cap = 0;
	(void)state;
	memset(buf, 0xee, sizeof(buf));
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 100, UINT64_MAX, 0x33);
	assert_int_equal(hosted_mbox_recv(&ep, buf, 100, &cap), 100);
	assert_int_equal(buf[99], 0x33);
	assert_int_equal(buf[100], 0xee); /* the caller's buffer ends at 100 */
	assert_int_equal(cap, 64);
	assert_int_equal(hosted_mbox_reply(&ep, buf, 8, 0), 0);
	assert_int_equal(mb->end[0].rsp.answers, mb->end[1].req.seq);
}

static void zero_tail_is_filled_in(void **state)
{
	uint64_t cap = 0;
	(void)state;
	memset(buf, 0xee, sizeof(buf));
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 4096, 10, 0x44);
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), 4096);
	assert_int_equal(buf[9], 0x44);
	assert_int_equal(buf[10], 0);
	assert_int_equal(buf[4095], 0);
	assert_int_equal(buf[4096], 0xee);
	assert_int_equal(hosted_mbox_reply(&ep, buf, 0, 1), KEEL_ETOOBIG); /* too big for the caller */
	assert_int_equal(mb->end[0].rsp.kind, HOSTED_ERR);
}

static void sender_writes_only_up_to_the_last_nonzero_byte(void **state)
{
	static uint8_t page[4096];
	uint32_t seq = mb->end[1].rsp.seq;
	(void)state;
	memset(page, 0, sizeof(page));
	page[0] = 1;
	page[700] = 2;
	/* a forged answer in advance, so the call returns at once */
	peer_post(&mb->end[1].rsp, HOSTED_RSP, 0, ep.req_seq + 1, 8, 8, 0x55);
	assert_int_equal(hosted_mbox_call(&ep, page, sizeof(page), buf, 64), 8);
	assert_int_equal(mb->end[0].req.len, 4096);
	assert_int_equal(mb->end[0].req.sent, 701);
	assert_int_not_equal(mb->end[1].rsp.seq, seq);
}

static void forged_answers_fail_the_call_cleanly(void **state)
{
	(void)state;
	/* longer than our rsp_cap */
	peer_post(&mb->end[1].rsp, HOSTED_RSP, 0, ep.req_seq + 1, 65, 65, 0x66);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_ETOOBIG);
	assert_int_equal(buf[0], 0xee);
	/* longer than any message */
	peer_post(&mb->end[1].rsp, HOSTED_RSP, 0, ep.req_seq + 1, UINT64_MAX, 8, 0x66);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, sizeof(buf)), KEEL_ETOOBIG);
	/* an error with a status that is no KEEL_E* */
	peer_post(&mb->end[1].rsp, HOSTED_ERR, 5, ep.req_seq + 1, 0, 0, 0);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_EINVAL);
	/* an unknown kind */
	peer_post(&mb->end[1].rsp, 77, 0, ep.req_seq + 1, 0, 0, 0);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_EINVAL);
	/* a refusal */
	peer_post(&mb->end[1].rsp, HOSTED_ERR, KEEL_EBUSY, ep.req_seq + 1, 0, 0, 0);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_EBUSY);
	/* the request itself over the limit: nothing sent */
	assert_int_equal(hosted_mbox_call(&ep, buf, KEEL_MSG_MAX + 1, buf, 64), KEEL_ETOOBIG);
}

static void stale_answer_is_dropped_then_peer_death_is_epeerclosed(void **state)
{
	pthread_t t;
	(void)state;
	peer_post(&mb->end[1].rsp, HOSTED_RSP, 0, ep.req_seq, 8, 8, 0x77); /* an earlier call's */
	assert_int_equal(pthread_create(&t, NULL, close_peer_later, NULL), 0);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_EPEERCLOSED);
	pthread_join(t, NULL);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), KEEL_EPEERCLOSED);
	assert_int_equal(hosted_mbox_reply(&ep, "x", 1, 0), KEEL_EPEERCLOSED);
	mb->end[1].closed = 0;
}

static void crossed_call_stays_pending(void **state)
{
	pthread_t t;
	uint64_t cap = 0;
	uint32_t rsp_seq = mb->end[0].rsp.seq;
	(void)state;
	answer_seq = ep.req_seq + 1;
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 8, 8, 0x88); /* the peer calls us */
	assert_int_equal(pthread_create(&t, NULL, answer_later, NULL), 0);
	assert_int_equal(hosted_mbox_call(&ep, "x", 1, buf, 64), 8); /* while we call it */
	pthread_join(t, NULL);
	assert_int_equal(buf[0], 0x99);
	/* as booted (kernel/ipc/chan.c): not refused, still pending for our next receive */
	assert_int_equal(mb->end[0].rsp.seq, rsp_seq);
	assert_int_equal(hosted_mbox_ready(&ep), 1);
	assert_int_equal(hosted_mbox_recv(&ep, buf, 64, &cap), 8);
	assert_int_equal(buf[0], 0x88);
	assert_int_equal(hosted_mbox_reply(&ep, "y", 1, 0), 0);
}

static void bad_buffers_are_efault_with_nothing_posted(void **state)
{
	uint32_t req_seq = mb->end[0].req.seq, rsp_seq = mb->end[0].rsp.seq;
	uint64_t cap = 0;
	(void)state;
	hosted_guard_install(); /* over cmocka's per-test SIGSEGV handler */
	/* a request from an unmapped buffer: KEEL_EFAULT, nothing posted, no SIGSEGV */
	assert_int_equal(hosted_mbox_call(&ep, (const void *)8, 8, buf, 64), KEEL_EFAULT);
	assert_int_equal(hosted_mbox_call(&ep, (const void *)(1ull << 63), 600, buf, 64), KEEL_EFAULT);
	assert_int_equal(mb->end[0].req.seq, req_seq);
	/* a request copied into an unmapped buffer: EFAULT, its caller gets EPEERCLOSED */
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 8, 8, 0x11);
	assert_int_equal(hosted_mbox_recv(&ep, (void *)8, 64, &cap), KEEL_EFAULT);
	assert_int_equal(mb->end[0].rsp.seq, rsp_seq + 1);
	assert_int_equal(mb->end[0].rsp.kind, HOSTED_ERR);
	assert_int_equal(mb->end[0].rsp.status, KEEL_EPEERCLOSED);
	/* a reply from an unmapped buffer: EFAULT, its caller gets EPEERCLOSED, no RSP */
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 8, 8, 0x12);
	assert_int_equal(hosted_mbox_recv(&ep, buf, 64, &cap), 8);
	assert_int_equal(hosted_mbox_reply(&ep, (const void *)8, 8, 0), KEEL_EFAULT);
	assert_int_equal(mb->end[0].rsp.seq, rsp_seq + 2);
	assert_int_equal(mb->end[0].rsp.kind, HOSTED_ERR);
	assert_int_equal(mb->end[0].rsp.status, KEEL_EPEERCLOSED);
	/* the guard is off again: the same calls with good buffers work */
	assert_int_equal(hosted_user_check(buf, 64, 1), 0);
	assert_int_equal(hosted_user_check((void *)8, 1, 0), KEEL_EFAULT);
	assert_int_equal(hosted_user_check("ro", 2, 1), KEEL_EFAULT);
	assert_int_equal(hosted_user_check((void *)0xffff800000000000ull, 0, 0), KEEL_EFAULT);
}

/* hosted_user_check proves every page: a hole or a read-only page anywhere in the range fails it. */
static void user_check_finds_every_bad_page(void **state)
{
	uint8_t *m = mmap(NULL, 20 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t k;
	(void)state;
	hosted_guard_install();
	assert_true(m != MAP_FAILED);
	assert_int_equal(hosted_user_check(m + 100, 20 * 4096 - 100, 1), 0);
	for (k = 0; k < 20; k++) {
		assert_int_equal(mprotect(m + k * 4096, 4096, PROT_READ), 0);
		assert_int_equal(hosted_user_check(m + 100, 20 * 4096 - 100, 0), 0);
		assert_int_equal(hosted_user_check(m + 100, 20 * 4096 - 100, 1), KEEL_EFAULT);
		assert_int_equal(hosted_user_check(m + k * 4096 + 4095, 1, 1), KEEL_EFAULT);
		assert_int_equal(mprotect(m + k * 4096, 4096, PROT_NONE), 0);
		assert_int_equal(hosted_user_check(m + 100, 20 * 4096 - 100, 0), KEEL_EFAULT);
		assert_int_equal(mprotect(m + k * 4096, 4096, PROT_READ | PROT_WRITE), 0);
	}
	/* the last byte only over the edge */
	assert_int_equal(mprotect(m + 19 * 4096, 4096, PROT_NONE), 0);
	assert_int_equal(hosted_user_check(m + 19 * 4096 - 8, 8, 1), 0);
	assert_int_equal(hosted_user_check(m + 19 * 4096 - 8, 9, 1), KEEL_EFAULT);
	munmap(m, 20 * 4096);
}

static void wake_flood_then_a_call_is_received(void **state)
{
	pthread_t t;
	uint64_t cap = 0;
	(void)state;
	assert_int_equal(pthread_create(&t, NULL, flood_then_call, NULL), 0);
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), 8);
	assert_int_equal(buf[0], 0x5a);
	pthread_join(t, NULL);
	assert_int_equal(hosted_mbox_reply(&ep, buf, 8, 0), 0);
}

static void wait_polls_times_out_and_finds_a_call(void **state)
{
	struct hosted_ep *eps[1] = {&ep};
	uint64_t t0 = hosted_now_ns(), cap;
	(void)state;
	assert_int_equal(hosted_mbox_wait(eps, 1, 0), KEEL_EAGAIN);
	assert_int_equal(hosted_mbox_wait(eps, 1, t0 + 20000000ull), KEEL_ETIMEDOUT);
	assert_true(hosted_now_ns() - t0 >= 20000000ull);
	peer_post(&mb->end[1].req, HOSTED_REQ, 0, 0, 8, 8, 0xaa);
	assert_int_equal(hosted_mbox_wait(eps, 1, UINT64_MAX), 0);
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), 8);
	assert_int_equal(hosted_mbox_reply(&ep, buf, 8, 0), 0);
}

static void socket_hangup_is_peer_death(void **state)
{
	int sv[2];
	uint64_t cap = 0, t0 = hosted_now_ns();
	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ep.fd = sv[0];
	close(sv[1]); /* a peer that died without anyone marking its end */
	assert_int_equal(hosted_mbox_recv(&ep, buf, sizeof(buf), &cap), KEEL_EPEERCLOSED);
	assert_true(hosted_now_ns() - t0 < 5000000000ull);
	close(sv[0]);
	ep.fd = -1;
	ep.peer_dead = 0;
}

static void memfd_is_sealed_and_unsealed_ones_are_refused(void **state)
{
	int fd = hosted_mbox_create(), plain;
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 0), -1); /* F_SEAL_SHRINK */
	assert_int_equal(errno, EPERM);
	assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), -1); /* F_SEAL_SEAL */
	close(fd);
	plain = memfd_create("unsealed", MFD_CLOEXEC);
	assert_true(plain >= 0);
	assert_int_equal(ftruncate(plain, sizeof(struct hosted_mbox)), 0);
	assert_null(hosted_mbox_map(plain));
	close(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_over_the_limit_is_etoobig_both_sides),
		cmocka_unit_test(request_larger_than_cap_is_etoobig),
		cmocka_unit_test(sent_past_len_copies_len_bytes_only),
		cmocka_unit_test(zero_tail_is_filled_in),
		cmocka_unit_test(sender_writes_only_up_to_the_last_nonzero_byte),
		cmocka_unit_test(forged_answers_fail_the_call_cleanly),
		cmocka_unit_test(stale_answer_is_dropped_then_peer_death_is_epeerclosed),
		cmocka_unit_test(crossed_call_stays_pending),
		cmocka_unit_test(bad_buffers_are_efault_with_nothing_posted),
		cmocka_unit_test(user_check_finds_every_bad_page),
		cmocka_unit_test(wake_flood_then_a_call_is_received),
		cmocka_unit_test(wait_polls_times_out_and_finds_a_call),
		cmocka_unit_test(socket_hangup_is_peer_death),
		cmocka_unit_test(memfd_is_sealed_and_unsealed_ones_are_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
