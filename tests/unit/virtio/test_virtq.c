/*
 * apps/virtio/virtq.c on the host: what a hostile or broken device can
 * write into the used ring is caught by virtq_reap (the index moving by
 * more than one, an element naming a chain we did not post), and a good
 * completion gives its length once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../apps/virtio/virtq.h"

static _Alignas(4096) uint8_t page[4096];
static struct virtq q;

static void post_one(void)
{
	struct virtq_buf b = {0x1000, 64, 1};
	virtq_init(&q, page, 0x200000);
	virtq_submit(&q, &b, 1);
}

static void test_submit_layout(void **state)
{
	struct virtq_buf b[3] = {{0x1000, 16, 0}, {0x2000, 4096, 1}, {0x3000, 1, 1}};
	(void)state;
	virtq_init(&q, page, 0x200000);
	virtq_submit(&q, b, 3);
	assert_int_equal(q.avail->idx, 1);
	assert_int_equal(q.avail->ring[0], 0);
	assert_int_equal(q.desc[0].flags, VIRTQ_DESC_F_NEXT);
	assert_int_equal(q.desc[0].next, 1);
	assert_int_equal(q.desc[1].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	assert_int_equal(q.desc[2].flags, VIRTQ_DESC_F_WRITE);
	assert_int_equal(q.desc[2].len, 1);
	assert_true(q.used_pa - q.desc_pa == 0x800);
}

static void test_nothing_yet(void **state)
{
	uint32_t len = 77;
	(void)state;
	post_one();
	assert_int_equal(virtq_reap(&q, &len), 0);
	assert_int_equal(len, 77);
}

static void test_good_completion_once(void **state)
{
	uint32_t len = 0;
	(void)state;
	post_one();
	q.used->ring[0].id = 0;
	q.used->ring[0].len = 42;
	q.used->idx = 1;
	assert_int_equal(virtq_reap(&q, &len), 1);
	assert_int_equal(len, 42);
	assert_int_equal(virtq_reap(&q, &len), 0); /* not twice */
}

static void test_index_jumps(void **state)
{
	uint32_t len = 0;
	(void)state;
	post_one();
	q.used->idx = 2; /* two completions for one posted chain */
	assert_int_equal(virtq_reap(&q, &len), -1);
	post_one();
	q.used->idx = 0xffff; /* moved backwards */
	assert_int_equal(virtq_reap(&q, &len), -1);
}

static void test_foreign_id(void **state)
{
	uint32_t len = 0;
	(void)state;
	post_one();
	q.used->ring[0].id = 5; /* a chain we never posted */
	q.used->idx = 1;
	assert_int_equal(virtq_reap(&q, &len), -1);
	post_one();
	q.used->ring[0].id = 0xffffffffu;
	q.used->idx = 1;
	assert_int_equal(virtq_reap(&q, &len), -1);
}

static void test_wraps_at_16_bits(void **state)
{
	uint32_t len = 0;
	(void)state;
	post_one();
	for (unsigned i = 0; i < 70000; i++) {
		uint16_t at = q.last_used;
		q.used->ring[at % VIRTQ_SIZE].id = 0;
		q.used->ring[at % VIRTQ_SIZE].len = i & 0xff;
		q.used->idx = (uint16_t)(at + 1);
		assert_int_equal(virtq_reap(&q, &len), 1);
		assert_int_equal(len, i & 0xff);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_submit_layout),        cmocka_unit_test(test_nothing_yet),
	    cmocka_unit_test(test_good_completion_once), cmocka_unit_test(test_index_jumps),
	    cmocka_unit_test(test_foreign_id),           cmocka_unit_test(test_wraps_at_16_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
