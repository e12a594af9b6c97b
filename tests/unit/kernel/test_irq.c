/*
 * kernel/ipc/irq.c on the host, the platform's line routing and the
 * scheduler faked: binding (vectors, EBUSY, ENOMEM), what an interrupt
 * does to its object and line, ack, release and the idle check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <keel/errors.h>

#include "arch/x86_64/trap.h"
#include "ipc/irq.h"
#include "platform/devices.h"
#include "task/sched.h"

#define LINES 64
static int routed_vector[LINES], masked[LINES], wakes;
static struct task *woken;

void platform_irq_route(unsigned line, uint8_t vector)
{
	routed_vector[line] = vector;
	masked[line] = 1;
}

void platform_irq_mask(unsigned line, int m)
{
	masked[line] = m;
}

void sched_wake(struct task *t)
{
	woken = t;
	wakes++;
}

static struct task owner;

static int setup(void **state)
{
	(void)state;
	memset(routed_vector, 0, sizeof(routed_vector));
	for (int i = 0; i < LINES; i++)
		masked[i] = 1;
	wakes = 0;
	woken = 0;
	return 0;
}

/* Releases every object bound in a test, so the next starts empty. */
static struct irq *bound[IRQ_MAX + 1];
static int nbound;
static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < nbound; i++)
		irq_release(bound[i]);
	nbound = 0;
	return 0;
}

static struct irq *bind_ok(unsigned line)
{
	struct irq *q = 0;
	assert_int_equal(irq_bind(&owner, line, &q), 0);
	assert_non_null(q);
	bound[nbound++] = q;
	return q;
}

static void bind_routes_and_arms(void **state)
{
	(void)state;
	struct irq *q = bind_ok(26);
	assert_int_equal(routed_vector[26], VECTOR_IRQ_BASE);
	assert_int_equal(masked[26], 0);
	assert_false(irq_ready(q));
	assert_ptr_equal(q->owner, &owner);
}

static void same_line_twice_is_ebusy(void **state)
{
	(void)state;
	struct irq *q = 0;
	bind_ok(30);
	assert_int_equal(irq_bind(&owner, 30, &q), KEEL_EBUSY);
}

static void ninth_line_is_enomem(void **state)
{
	(void)state;
	struct irq *q = 0;
	for (unsigned i = 0; i < IRQ_MAX; i++)
		bind_ok(24 + i);
	assert_int_equal(irq_bind(&owner, 40, &q), KEEL_ENOMEM);
	assert_int_equal(masked[40], 1); /* nothing routed or unmasked */
	assert_int_equal(routed_vector[40], 0);
}

static void interrupt_masks_marks_and_wakes(void **state)
{
	(void)state;
	struct irq *q = bind_ok(27);
	uint64_t v = (uint64_t)routed_vector[27];
	assert_int_equal(irq_interrupt(v), 1);
	assert_true(irq_ready(q));
	assert_int_equal(masked[27], 1);
	assert_ptr_equal(woken, &owner);
	assert_int_equal(q->fired, 1);
	irq_ack(q);
	assert_false(irq_ready(q));
	assert_int_equal(masked[27], 0);
}

static void other_vectors_are_not_ours(void **state)
{
	(void)state;
	assert_int_equal(irq_interrupt(VECTOR_TIMER), 0);
	assert_int_equal(irq_interrupt(VECTOR_IRQ_BASE + IRQ_MAX), 0);
	assert_int_equal(irq_interrupt(VECTOR_IRQ_BASE - 1), 0);
	/* one of our vectors with nothing bound: ours, but nobody is woken */
	assert_int_equal(irq_interrupt(VECTOR_IRQ_BASE + 3), 1);
	assert_int_equal(wakes, 0);
}

static void release_masks_and_frees_the_line(void **state)
{
	(void)state;
	struct irq *q = 0;
	assert_int_equal(irq_bind(&owner, 33, &q), 0);
	irq_release(q);
	assert_int_equal(masked[33], 1);
	assert_false(q->in_use);
	bind_ok(33); /* bindable again */
}

static void waited_counts_only_armed_lines(void **state)
{
	(void)state;
	struct irq *q = bind_ok(28);
	assert_false(irq_any_waited());
	q->waited = 1;
	assert_true(irq_any_waited());
	irq_interrupt((uint64_t)routed_vector[28]); /* pending: the waiter is already woken */
	assert_false(irq_any_waited());
	q->waited = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(bind_routes_and_arms, setup, teardown),
	    cmocka_unit_test_setup_teardown(same_line_twice_is_ebusy, setup, teardown),
	    cmocka_unit_test_setup_teardown(ninth_line_is_enomem, setup, teardown),
	    cmocka_unit_test_setup_teardown(interrupt_masks_marks_and_wakes, setup, teardown),
	    cmocka_unit_test_setup_teardown(other_vectors_are_not_ours, setup, teardown),
	    cmocka_unit_test_setup_teardown(release_masks_and_frees_the_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(waited_counts_only_armed_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
