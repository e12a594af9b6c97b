/*
 * apps/virtio/virtq.c on the host: what a hostile or broken device can
 * write into the used ring is caught by virtq_reap (the index moving by
 * more than one, an element naming a chain we did not post), and a good
 * completion gives its length once. With several chains in flight
 * (virtq_add / virtq_next, netdev's rings): completions in any order by
 * id, the free list refilled, and the same checks plus the length bound
 * and an id that is in range but not in flight.
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
	struct virtq_buf b = {0x1000, 64, 1};
	post_one();
	for (unsigned i = 0; i < 70000; i++) {
		uint16_t at = q.last_used;
		if (i)
			virtq_submit(&q, &b, 1); /* one chain at a time, as blkdev and consdev do */
		q.used->ring[at % VIRTQ_SIZE].id = 0;
		q.used->ring[at % VIRTQ_SIZE].len = i & 0xff;
		q.used->idx = (uint16_t)(at + 1);
		assert_int_equal(virtq_reap(&q, &len), 1);
		assert_int_equal(len, i & 0xff);
	}
}

/* The device hands back the chain at `id` with `len` at the next used slot. */
static void device_uses(uint32_t id, uint32_t len)
{
	uint16_t at = q.used->idx;
	q.used->ring[at % q.num].id = id;
	q.used->ring[at % q.num].len = len;
	q.used->idx = (uint16_t)(at + 1);
}

static void init_many(unsigned num)
{
	assert_int_equal(virtq_init_n(&q, page, 0x200000, num), 0);
}

static void test_init_sizes(void **state)
{
	(void)state;
	assert_int_equal(virtq_init_n(&q, page, 0x200000, 0), -1);
	assert_int_equal(virtq_init_n(&q, page, 0x200000, 24), -1);
	assert_int_equal(virtq_init_n(&q, page, 0x200000, VIRTQ_MAX * 2), -1);
	init_many(VIRTQ_MAX);
	assert_int_equal(q.nfree, VIRTQ_MAX);
}

static void test_many_out_of_order(void **state)
{
	uint16_t id = 0;
	uint32_t len = 0;
	int heads[32];
	(void)state;
	init_many(32);
	for (unsigned i = 0; i < 32; i++) {
		struct virtq_buf b = {0x10000 + i * 0x800, 1526, 1};
		heads[i] = virtq_add(&q, &b, 1);
		assert_int_equal(heads[i], i);
	}
	{ /* full: no 33rd */
		struct virtq_buf b = {0x1000, 64, 1};
		assert_int_equal(virtq_add(&q, &b, 1), -1);
	}
	assert_int_equal(q.avail->idx, 32);
	device_uses(7, 100);
	device_uses(3, 1526);
	device_uses(31, 60);
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(id, 7);
	assert_int_equal(len, 100);
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(id, 3);
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(id, 31);
	assert_int_equal(virtq_next(&q, &id, &len), 0);
	assert_int_equal(q.nfree, 3);
	assert_int_equal(q.in_flight, 29);
	{ /* the freed descriptors are reused */
		struct virtq_buf b = {0x1000, 64, 1};
		int h = virtq_add(&q, &b, 1);
		assert_true(h == 7 || h == 3 || h == 31);
		assert_int_equal(q.avail->ring[32 % 32], h);
	}
}

static void test_many_chains_of_two(void **state)
{
	struct virtq_buf b[2] = {{0x1000, 12, 0}, {0x2000, 100, 1}};
	uint16_t id = 0;
	uint32_t len = 0;
	int h1, h2, h3;
	(void)state;
	init_many(4);
	h1 = virtq_add(&q, b, 2);
	h2 = virtq_add(&q, b, 2);
	assert_int_equal(virtq_add(&q, b, 1), -1); /* all 4 descriptors in use */
	assert_int_equal(q.desc[h1].flags, VIRTQ_DESC_F_NEXT);
	assert_int_equal(q.desc[q.desc[h1].next].flags, VIRTQ_DESC_F_WRITE);
	device_uses((uint32_t)h2, 100);
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(id, h2);
	h3 = virtq_add(&q, b, 2); /* both of h2's descriptors back */
	assert_int_equal(h3, h2);
	device_uses((uint32_t)h1, 101); /* beyond its 100 writable bytes */
	assert_int_equal(virtq_next(&q, &id, &len), -1);
}

static void test_many_hostile(void **state)
{
	struct virtq_buf b = {0x1000, 64, 1};
	uint16_t id = 0;
	uint32_t len = 0;
	(void)state;
	init_many(16);
	(void)virtq_add(&q, &b, 1);
	(void)virtq_add(&q, &b, 1);
	device_uses(5, 0); /* in range, never posted */
	assert_int_equal(virtq_next(&q, &id, &len), -1);

	init_many(16);
	(void)virtq_add(&q, &b, 1);
	device_uses(16, 0); /* out of range */
	assert_int_equal(virtq_next(&q, &id, &len), -1);

	init_many(16);
	(void)virtq_add(&q, &b, 1);
	(void)virtq_add(&q, &b, 1);
	device_uses(0, 0);
	device_uses(0, 0); /* the same chain twice */
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(virtq_next(&q, &id, &len), -1);

	init_many(16);
	(void)virtq_add(&q, &b, 1);
	(void)virtq_add(&q, &b, 1);
	q.used->idx = 3; /* three back, two in flight */
	assert_int_equal(virtq_next(&q, &id, &len), -1);

	init_many(16);
	(void)virtq_add(&q, &b, 1);
	q.desc[0].next = 9; /* the device scribbles on the shared table: our links decide */
	q.desc[0].flags = VIRTQ_DESC_F_NEXT;
	device_uses(0, 64);
	assert_int_equal(virtq_next(&q, &id, &len), 1);
	assert_int_equal(q.nfree, 16);
	assert_int_equal(q.in_flight, 0);
}

/* 32 chains over many laps of the 16-bit indexes, in posting order, each reposted. */
static void test_many_wraps(void **state)
{
	struct virtq_buf b = {0x1000, 1526, 1};
	uint16_t id = 0;
	uint32_t len = 0;
	(void)state;
	init_many(32);
	for (unsigned i = 0; i < 32; i++)
		(void)virtq_add(&q, &b, 1);
	for (unsigned i = 0; i < 70000; i++) {
		device_uses(q.avail->ring[(uint16_t)(q.last_used) % 32], i % 1527);
		assert_int_equal(virtq_next(&q, &id, &len), 1);
		assert_int_equal(len, i % 1527);
		assert_int_equal(virtq_add(&q, &b, 1), id);
	}
	assert_int_equal(q.in_flight, 32);
	assert_int_equal(q.nfree, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_submit_layout),        cmocka_unit_test(test_nothing_yet),
	    cmocka_unit_test(test_good_completion_once), cmocka_unit_test(test_index_jumps),
	    cmocka_unit_test(test_foreign_id),           cmocka_unit_test(test_wraps_at_16_bits),
	    cmocka_unit_test(test_init_sizes),           cmocka_unit_test(test_many_out_of_order),
	    cmocka_unit_test(test_many_chains_of_two),   cmocka_unit_test(test_many_hostile),
	    cmocka_unit_test(test_many_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
