/*
 * Preemptive round robin on one CPU. The kernel itself is not preemptible:
 * interrupts are off in ring 0 except while idle (sti; hlt). Blocking
 * calls loop on their condition, so a spurious wake-up is harmless.
 */
#ifndef KEEL_TASK_SCHED_H
#define KEEL_TASK_SCHED_H

#include <stdint.h>

#include "task/task.h"

struct task *sched_current(void);
/* Leave the boot stack for the first task; returns only if there is none. */
void sched_start(void);
/* Let the next ready task run; the current one stays ready. */
void sched_yield(void);
/* Sleep until sched_wake or until `deadline_ns` (0 = none) has passed. */
void sched_block(uint64_t deadline_ns);
void sched_wake(struct task *t);
/*
 * Block the current task (no deadline) and run `next` at once if it is
 * ready and round robin would pick it anyway, else whatever the scheduler
 * picks: IPC hands the CPU straight to the peer it just woke without
 * changing the order tasks run in. Returns when woken, as sched_block.
 */
void sched_block_to(struct task *next);
/* Timer interrupt: wake expired sleepers; preempt if we interrupted ring 3. */
void sched_tick(int from_user);
/* The current task is over (its state already released); never returns. */
_Noreturn void sched_exit_current(void);

/* report.c: compare outcomes with `expect=`, print the summary, leave QEMU. */
_Noreturn void report_finish(const char *why);

#endif
