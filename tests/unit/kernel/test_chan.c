/*
 * kernel/ipc/chan.c on the host, with kernel/task/handle.c real and the
 * scheduler and user copies faked (plain memory, no blocking): what
 * chan_create leaves behind when it fails, and the reply a receiver owes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <keel/errors.h>
#include <keel/msg.h>

#include "ipc/chan.h"
#include "task/manifest.h"
#include "task/sched.h"

static int wakes, blocks;

void sched_wake(struct task *t)
{
	(void)t;
	wakes++;
}

void sched_block(uint64_t deadline_ns)
{
	(void)deadline_ns;
	blocks++;
}

void sched_block_to(struct task *next)
{
	(void)next;
	blocks++;
}

/* "User" addresses are host pointers here. */
int copy_from_user(uint64_t root, void *dst, struct uaddr src, size_t n)
{
	(void)root;
	memcpy(dst, (const void *)(uintptr_t)src.v, n);
	return 0;
}

int copy_to_user(uint64_t root, struct uaddr dst, const void *src, size_t n)
{
	(void)root;
	memcpy((void *)(uintptr_t)dst.v, src, n);
	return 0;
}

int copy_user_to_user(uint64_t dst_root, struct uaddr dst, uint64_t src_root, struct uaddr src, size_t n,
		      enum uaccess_side *side)
{
	(void)dst_root, (void)src_root;
	*side = UACCESS_SIDE_NONE;
	memcpy((void *)(uintptr_t)dst.v, (const void *)(uintptr_t)src.v, n);
	return 0;
}

int uspan_copy(const struct uspan *dst, const struct uspan *src, size_t n, enum uaccess_side *side)
{
	return copy_user_to_user(dst->root, dst->va, src->root, src->va, n, side);
}

/* A "checked" span over a host buffer. */
static struct uspan span(void *p, size_t n)
{
	return (struct uspan){.va = uaddr_from((uintptr_t)p), .n = n, .write = 1};
}

static struct task a, b;

static int setup(void **state)
{
	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	handle_table_init(&a.handles);
	handle_table_init(&b.handles);
	return 0;
}

static struct chan_end *end_at(struct task *t, unsigned slot)
{
	void *o = NULL;
	return handle_lookup(&t->handles, (keel_handle_t)slot, HANDLE_CHAN_END, &o) ? NULL : o;
}

/* The second install fails (b's slot is taken): a's handle and the channel are not left behind. */
static void create_cleans_up_when_the_second_install_fails(void **state)
{
	keel_handle_t h;
	static int other;
	(void)state;
	assert_int_equal(handle_install_at(&b.handles, 3, HANDLE_CHAN_END, &other, &h), 0);
	for (unsigned i = 0; i < MANIFEST_MAX_CHANNELS + 4; i++) {
		assert_int_not_equal(chan_create(&a, 5, &b, 3), 0);
		assert_null(end_at(&a, 5)); /* the first end is not installed any more */
	}
	/* ...and no channel leaked: all MANIFEST_MAX_CHANNELS can still be made. */
	static struct task c, d;
	handle_table_init(&c.handles);
	handle_table_init(&d.handles);
	for (unsigned i = 0; i < MANIFEST_MAX_CHANNELS; i++) {
		struct task *x = i < 32 ? &a : &c, *y = i < 32 ? &b : &d;
		assert_int_equal(chan_create(x, 8 + (i % 32), y, 8 + (i % 32)), 0);
	}
}

static void create_fails_whole_when_every_channel_is_in_use(void **state)
{
	(void)state;
	/* the previous test used them all (chans[] is static): nothing installed on failure */
	assert_int_equal(chan_create(&a, 2, &b, 2), KEEL_ENOMEM);
	assert_null(end_at(&a, 2));
	assert_null(end_at(&b, 2));
}

/* The receiver's debt: EINVAL when nothing was received, even with the caller gone; EBUSY until paid. */
static void a_reply_is_owed_by_the_receiver(void **state)
{
	static uint8_t req[8] = {1, 2, 3, 4, 5, 6, 7, 8}, rsp[64], buf[64];
	struct chan_end *ea, *eb;
	(void)state;
	/* chans[] is full from the tests above: use a fresh pair by hand. */
	static struct chan c;
	c = (struct chan){.in_use = 1};
	c.end[0] = (struct chan_end){.chan = &c, .owner = &a, .open = 1};
	c.end[1] = (struct chan_end){.chan = &c, .owner = &b, .open = 1};
	ea = &c.end[0];
	eb = &c.end[1];
	struct uspan sb8 = span(buf, 8), sbuf = span(buf, sizeof(buf));
	/* a's call is pending (as chan_call leaves it before blocking) */
	ea->call = (struct chan_call){.state = CALL_PENDING, .kreq = req, .krsp = rsp, .req_len = 8,
				      .rsp_cap = sizeof(rsp)};
	assert_int_equal(chan_reply(eb, &sb8, 8), KEEL_EINVAL);
	assert_int_equal(chan_recv(eb, &sbuf), 8);
	assert_memory_equal(buf, req, 8);
	assert_int_equal(chan_recv(eb, &sbuf), KEEL_EBUSY);
	chan_end_close(ea); /* the caller dies holding the call */
	assert_int_equal(chan_recv(eb, &sbuf), KEEL_EBUSY);
	assert_int_equal(chan_reply(eb, &sb8, 8), KEEL_EPEERCLOSED);
	/* paid (to nobody): now nothing is owed, and the peer is gone */
	assert_int_equal(chan_reply(eb, &sb8, 8), KEEL_EINVAL);
	assert_int_equal(chan_recv(eb, &sbuf), KEEL_EPEERCLOSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(create_cleans_up_when_the_second_install_fails, setup),
		cmocka_unit_test(create_fails_whole_when_every_channel_is_in_use),
		cmocka_unit_test_setup(a_reply_is_owed_by_the_receiver, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
