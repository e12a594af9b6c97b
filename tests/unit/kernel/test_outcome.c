/*
 * kernel/task/outcome.c, the rule the kernel and keel-hosted share: what
 * counts as expected and when a run is over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "task/manifest.h"
#include "task/outcome.h"

static void expected_outcomes(void **state)
{
	(void)state;
	assert_true(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_EXITED, 0));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_EXITED, 1));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_FAULTED, 0));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_BLOCKED, 0));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_RUNNING, 0));
	assert_true(outcome_as_expected(MANIFEST_EXPECT_FAULT, OUTCOME_FAULTED, 0));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_FAULT, OUTCOME_EXITED, 0));
	assert_false(outcome_as_expected(MANIFEST_EXPECT_FAULT, OUTCOME_BLOCKED, 0));
	assert_true(outcome_as_expected(MANIFEST_EXPECT_ANY, OUTCOME_RUNNING, 0));
	assert_true(outcome_as_expected(MANIFEST_EXPECT_ANY, OUTCOME_EXITED, 3));
	assert_true(outcome_as_expected(MANIFEST_EXPECT_ANY, OUTCOME_FAULTED, 0));
	/* stopped from outside (hosted SIGTERM) is never held against a task */
	assert_true(outcome_as_expected(MANIFEST_EXPECT_EXIT0, OUTCOME_STOPPED, 0));
	assert_true(outcome_as_expected(MANIFEST_EXPECT_FAULT, OUTCOME_STOPPED, 0));
	assert_string_equal(outcome_expect_name(MANIFEST_EXPECT_EXIT0), "exit0");
	assert_string_equal(outcome_expect_name(MANIFEST_EXPECT_FAULT), "fault");
	assert_string_equal(outcome_expect_name(MANIFEST_EXPECT_ANY), "any");
}

/* expects[i], alive[i] for n tasks -> outcome_run_over */
static int over(const uint32_t *expects, const int *alive, unsigned n)
{
	struct outcome_tally t = {0, 0, 0};
	for (unsigned i = 0; i < n; i++)
		outcome_count(&t, expects[i], alive[i]);
	return outcome_run_over(&t);
}

static void when_a_run_is_over(void **state)
{
	const uint32_t svc_and_client[] = {MANIFEST_EXPECT_ANY, MANIFEST_EXPECT_EXIT0, MANIFEST_EXPECT_FAULT};
	const uint32_t services[] = {MANIFEST_EXPECT_ANY, MANIFEST_EXPECT_ANY};
	(void)state;
	/* a service still running does not hold the run open once the others have ended */
	assert_true(over(svc_and_client, (const int[]){1, 0, 0}, 3));
	assert_false(over(svc_and_client, (const int[]){1, 1, 0}, 3));
	assert_false(over(svc_and_client, (const int[]){0, 0, 1}, 3));
	assert_true(over(svc_and_client, (const int[]){0, 0, 0}, 3));
	/* only services: over when all have ended */
	assert_false(over(services, (const int[]){1, 0}, 2));
	assert_true(over(services, (const int[]){0, 0}, 2));
	/* no tasks at all: nothing to wait for */
	assert_true(over(services, (const int[]){0, 0}, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expected_outcomes),
		cmocka_unit_test(when_a_run_is_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
