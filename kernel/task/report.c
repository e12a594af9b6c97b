/* The end of a test boot: every task's outcome against its manifest `expect=` (D5). */
#include "lib/kprintf.h"
#include "platform/platform.h"
#include "task/outcome.h"
#include "task/sched.h"

static void describe(const struct task *t, char *buf, size_t cap)
{
	switch (t->outcome) {
	case OUTCOME_EXITED:
		ksnprintf(buf, cap, "exit %d", t->exit_status);
		break;
	case OUTCOME_FAULTED:
		ksnprintf(buf, cap, "fault");
		break;
	case OUTCOME_BLOCKED:
		ksnprintf(buf, cap, "blocked forever");
		break;
	default:
		ksnprintf(buf, cap, "running");
	}
}

_Noreturn void report_finish(const char *why)
{
	unsigned good = 0;
	kprintf("keel: %s\n", why);
	for (unsigned i = 0; i < task_count; i++) {
		const struct task *t = &tasks[i];
		char what[32];
		int ok = outcome_as_expected(t->mt->expect, t->outcome, t->exit_status);
		describe(t, what, sizeof(what));
		kprintf("keel: task '%s': %s, expected %s: %s\n", t->name, what, outcome_expect_name(t->mt->expect),
			ok ? "as expected" : "UNEXPECTED");
		good += ok;
	}
	kprintf("keel: %u tasks, %u as expected, %u unexpected\n", task_count, good, task_count - good);
	platform_exit(good == task_count ? 0 : 1);
}
