/* The run's end and expected outcomes (task/outcome.h): kernel and keel-hosted. */
#include "task/outcome.h"
#include "task/manifest.h"

const char *outcome_expect_name(uint32_t expect)
{
	return expect == MANIFEST_EXPECT_FAULT ? "fault" : expect == MANIFEST_EXPECT_ANY ? "any" : "exit0";
}

int outcome_as_expected(uint32_t expect, enum task_outcome how, int status)
{
	if (how == OUTCOME_STOPPED || expect == MANIFEST_EXPECT_ANY)
		return 1;
	if (expect == MANIFEST_EXPECT_FAULT)
		return how == OUTCOME_FAULTED;
	return how == OUTCOME_EXITED && status == 0;
}

void outcome_count(struct outcome_tally *t, uint32_t expect, int alive)
{
	int must = expect != MANIFEST_EXPECT_ANY;
	t->live += alive != 0;
	t->must_end += must;
	t->must_end_live += must && alive;
}

int outcome_run_over(const struct outcome_tally *t)
{
	if (t->must_end)
		return t->must_end_live == 0;
	return t->live == 0;
}
