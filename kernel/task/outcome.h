/*
 * The one rule for how a run ends and what counts as expected, for the
 * kernel (task/report.c, task/sched.c) and keel-hosted (launch.c): pure C,
 * built for both from this source, like task/manifest.c.
 */
#ifndef KEEL_TASK_OUTCOME_H
#define KEEL_TASK_OUTCOME_H

#include <stdint.h>

/* How a task ended (or did not). */
enum task_outcome {
	OUTCOME_RUNNING = 0, /* still alive when the run ended */
	OUTCOME_EXITED,      /* keel_exit(status) (hosted: exit(status)) */
	OUTCOME_FAULTED,     /* killed by a fault (hosted: by a signal) */
	OUTCOME_BLOCKED,     /* booted: blocked with nothing left to wake it */
	OUTCOME_STOPPED,     /* hosted: stopped by the launcher on SIGTERM/SIGINT */
};

/* The manifest's `expect=` value as written there: "exit0", "fault", "any". */
const char *outcome_expect_name(uint32_t expect);

/*
 * 1 if a task whose manifest says `expect` (enum manifest_expect) and that
 * ended `how` with `status` meets its expectation: exit0 = exited with
 * status 0; fault = ended by a fault; any = anything. A task stopped from
 * outside the run (OUTCOME_STOPPED) is not held against it.
 */
int outcome_as_expected(uint32_t expect, enum task_outcome how, int status);

/* The tasks of a run, counted one by one with outcome_count. */
struct outcome_tally {
	unsigned live;          /* tasks that have not ended */
	unsigned must_end;      /* tasks whose expect is not `any` */
	unsigned must_end_live; /* ... of which have not ended */
};

void outcome_count(struct outcome_tally *t, uint32_t expect, int alive);

/*
 * 1 when the run is over: every task whose expect is not `any` has ended
 * (services, expect=any, may run forever and do not hold the run open), or,
 * when every task is expect=any, every task has ended. Whatever is still
 * running then is ended with the run.
 */
int outcome_run_over(const struct outcome_tally *t);

#endif
