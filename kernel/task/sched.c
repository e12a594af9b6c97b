#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/trap.h"
#include "ipc/irq.h"
#include "lib/kprintf.h"
#include "mm/kernel_vm.h"
#include "platform/platform.h"
#include "task/sched.h"

void context_switch(uint64_t *save_rsp, uint64_t new_rsp);

static struct task *current;
static uint64_t boot_ksp;
static int reap_due; /* a task died: its kernel stack is freed after the next switch */

struct task *sched_current(void)
{
	return current;
}

static int alive(const struct task *t)
{
	return t->state == TASK_READY || t->state == TASK_RUNNING || t->state == TASK_BLOCKED;
}

/* Free the kernel stacks of dead tasks we are not running on. */
static void reap(void)
{
	reap_due = 0;
	for (unsigned i = 0; i < task_count; i++) {
		struct task *t = &tasks[i];
		if (t->state == TASK_DEAD && t != current && t->kstack_top) {
			kstack_free(t->kstack_top);
			t->kstack_top = 0;
		}
	}
}

static struct task *pick_next(void)
{
	unsigned start = current ? current->id + 1 : 0;
	for (unsigned k = 0; k < task_count; k++) {
		struct task *t = &tasks[(start + k) % task_count];
		if (t->state == TASK_READY)
			return t;
	}
	if (current && current->state == TASK_RUNNING)
		return current;
	return 0;
}

/* No one is ready: finish if nobody can ever run again, else idle until an interrupt. */
static void idle_or_finish(void)
{
	int live = 0, sleepers = 0;
	for (unsigned i = 0; i < task_count; i++) {
		live += alive(&tasks[i]);
		sleepers += tasks[i].state == TASK_BLOCKED && tasks[i].deadline_ns;
	}
	if (!live)
		report_finish("every task has ended");
	sleepers += irq_any_waited(); /* a device can still wake its driver */
	if (!sleepers) {
		for (unsigned i = 0; i < task_count; i++)
			if (alive(&tasks[i]))
				tasks[i].outcome = OUTCOME_BLOCKED;
		report_finish("every remaining task is blocked with nothing left to wake it");
	}
	sti_hlt();
	cli();
}

static void switch_to(struct task *next)
{
	struct task *prev = current;
	uint64_t *save = prev ? &prev->ksp : &boot_ksp;
	next->state = TASK_RUNNING;
	if (next == prev)
		return;
	if (prev && prev->state != TASK_DEAD)
		fpu_save(&prev->fpu);
	fpu_restore_clean(&next->fpu);
	tss_set_rsp0(next->kstack_top);
	percpu.kernel_rsp = next->kstack_top;
	write_cr3(next->root);
	gdt_reset_user_selectors(); /* before FS base: a selector load may clear it */
	wrmsr(MSR_FS_BASE, next->fs_base);
	current = next;
	context_switch(save, next->ksp);
	trap_check_kernel_rflags("task switch");
	if (reap_due)
		reap();
}

static void schedule(void)
{
	struct task *next;
	while (!(next = pick_next()))
		idle_or_finish();
	switch_to(next);
}

void sched_start(void)
{
	schedule();
}

void sched_yield(void)
{
	if (current->state == TASK_RUNNING)
		current->state = TASK_READY;
	schedule();
}

void sched_block(uint64_t deadline_ns)
{
	current->state = TASK_BLOCKED;
	current->deadline_ns = deadline_ns;
	schedule();
	current->deadline_ns = 0;
}

/*
 * `next` is the task round robin would pick: none between us and it (in
 * id order) is ready. Handing off only then keeps the scheduler's order
 * (and its fairness to tasks outside the rendezvous) exactly as it was.
 */
static int next_in_turn(const struct task *next)
{
	for (unsigned i = (current->id + 1) % task_count; i != next->id; i = (i + 1) % task_count)
		if (tasks[i].state == TASK_READY)
			return 0;
	return 1;
}

void sched_block_to(struct task *next)
{
	current->state = TASK_BLOCKED;
	current->deadline_ns = 0;
	if (next != current && next->state == TASK_READY && next_in_turn(next))
		switch_to(next); /* the rendezvous peer, without the general pass over the tasks */
	else
		schedule();
}

void sched_wake(struct task *t)
{
	if (t->state == TASK_BLOCKED)
		t->state = TASK_READY;
}

void sched_tick(int from_user)
{
	uint64_t now = time_monotonic_ns();
	for (unsigned i = 0; i < task_count; i++) {
		struct task *t = &tasks[i];
		if (t->state == TASK_BLOCKED && t->deadline_ns && now >= t->deadline_ns)
			t->state = TASK_READY;
	}
	if (from_user && current)
		sched_yield();
}

/* The shared rule (task/outcome.h): over once every task that must end has ended. */
static int run_over(void)
{
	struct outcome_tally tally = {0, 0, 0};
	for (unsigned i = 0; i < task_count; i++)
		outcome_count(&tally, tasks[i].mt->expect, alive(&tasks[i]));
	return outcome_run_over(&tally);
}

_Noreturn void sched_exit_current(void)
{
	current->state = TASK_DEAD;
	reap_due = 1;
	if (run_over())
		report_finish("every task that must end has ended");
	schedule();
	for (;;)
		hlt(); /* unreachable: a dead task is never picked */
}
