/* kernel/task/handle.c: generation-counted handle tables (decisions D3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <keel/errors.h>

#include "task/handle.h"

static int obj_a, obj_b;

static void boot_handle_is_the_slot_number(void **state)
{
	struct handle_table t;
	keel_handle_t h;
	void *o;
	(void)state;
	handle_table_init(&t);
	assert_int_equal(handle_install_at(&t, 5, HANDLE_CHAN_END, &obj_a, &h), 0);
	assert_int_equal(h, 5);
	assert_int_equal(handle_lookup(&t, 5, HANDLE_CHAN_END, &o), 0);
	assert_ptr_equal(o, &obj_a);
}

static void closing_makes_the_old_value_stale(void **state)
{
	struct handle_table t;
	keel_handle_t h, h2;
	uint8_t type;
	void *o;
	(void)state;
	handle_table_init(&t);
	assert_int_equal(handle_install_at(&t, 3, HANDLE_CHAN_END, &obj_a, &h), 0);
	assert_int_equal(handle_remove(&t, h, &type, &o), 0);
	assert_int_equal(type, HANDLE_CHAN_END);
	assert_int_equal(handle_lookup(&t, h, HANDLE_CHAN_END, &o), KEEL_EBADHANDLE);
	assert_int_equal(handle_remove(&t, h, &type, &o), KEEL_EBADHANDLE);
	assert_int_equal(handle_install(&t, HANDLE_CHAN_END, &obj_b, &h2), 0);
	assert_int_equal(KEEL_HANDLE_SLOT(h2), 0); /* lowest free slot */
	assert_int_equal(handle_install_at(&t, 3, HANDLE_CHAN_END, &obj_b, &h2), 0);
	assert_int_equal(h2, KEEL_HANDLE_MAKE(3, 1));
	assert_int_equal(handle_lookup(&t, h, HANDLE_CHAN_END, &o), KEEL_EBADHANDLE); /* old value still stale */
	assert_int_equal(handle_lookup(&t, h2, HANDLE_CHAN_END, &o), 0);
	assert_ptr_equal(o, &obj_b);
}

static void bad_values_are_rejected(void **state)
{
	struct handle_table t;
	keel_handle_t h;
	void *o;
	(void)state;
	handle_table_init(&t);
	assert_int_equal(handle_lookup(&t, 0, HANDLE_CHAN_END, &o), KEEL_EBADHANDLE);   /* empty */
	assert_int_equal(handle_lookup(&t, 64, HANDLE_CHAN_END, &o), KEEL_EBADHANDLE);  /* slot too big */
	assert_int_equal(handle_lookup(&t, KEEL_HANDLE_INVALID, HANDLE_CHAN_END, &o), KEEL_EBADHANDLE);
	assert_int_equal(handle_install_at(&t, 64, HANDLE_CHAN_END, &obj_a, &h), KEEL_EINVAL);
	assert_int_equal(handle_install_at(&t, 1, HANDLE_CHAN_END, &obj_a, &h), 0);
	assert_int_equal(handle_install_at(&t, 1, HANDLE_CHAN_END, &obj_b, &h), KEEL_EBUSY);
	assert_int_equal(handle_lookup(&t, 1, HANDLE_NONE, &o), KEEL_EBADHANDLE); /* wrong type */
	assert_int_equal(handle_lookup(&t, KEEL_HANDLE_MAKE(1, 7), HANDLE_CHAN_END, &o), KEEL_EBADHANDLE);
}

static void full_table_is_enomem(void **state)
{
	struct handle_table t;
	keel_handle_t h;
	(void)state;
	handle_table_init(&t);
	for (int i = 0; i < KEEL_MAX_HANDLES; i++)
		assert_int_equal(handle_install(&t, HANDLE_CHAN_END, &obj_a, &h), 0);
	assert_int_equal(handle_install(&t, HANDLE_CHAN_END, &obj_a, &h), KEEL_ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boot_handle_is_the_slot_number),
		cmocka_unit_test(closing_makes_the_old_value_stale),
		cmocka_unit_test(bad_values_are_rejected),
		cmocka_unit_test(full_table_is_enomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
