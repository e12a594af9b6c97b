/* Syscalls about the calling task itself: log, exit, time, random, TLS, yield, attestation, data file. */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/random.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "lib/log_escape.h"
#include "mm/pt.h"
#include "mm/uaccess.h"
#include "platform/platform.h"
#include "syscall/syscall.h"
#include "task/layout.h"
#include "task/sched.h"
#include <keel/snp_report.h>

static char log_buf[KEEL_LOG_MAX]; /* one CPU, kernel not preemptible: one buffer suffices */
static uint8_t random_buf[KEEL_RANDOM_MAX];

static void log_put(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write(s, n);
}

long sys_log(const struct syscall_args *a)
{
	struct task *t = sched_current();
	size_t len = a->a[1];
	if (len > KEEL_LOG_MAX)
		return KEEL_EINVAL;
	int rc = copy_from_user(t->root, log_buf, uaddr_from(a->a[0]), len);
	if (rc)
		return rc;
	log_emit(t->name, log_buf, len, log_put, 0); /* escaped, every line prefixed */
	return (long)len;
}

long sys_exit(const struct syscall_args *a)
{
	task_end_current(OUTCOME_EXITED, (int)a->a[0]);
}

long sys_time(const struct syscall_args *a)
{
	switch (a->a[0]) {
	case KEEL_CLOCK_MONOTONIC:
		return (long)time_monotonic_ns();
	case KEEL_CLOCK_REALTIME:
		return (long)time_realtime_ns();
	default:
		return KEEL_EINVAL;
	}
}

long sys_random(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct uaddr dst = uaddr_from(a->a[0]);
	size_t len = a->a[1];
	if (len > KEEL_RANDOM_MAX)
		return KEEL_EINVAL;
	int rc = uaccess_check(t->root, dst, len, UACCESS_WRITE);
	if (rc)
		return rc;
	rc = random_fill(random_buf, len);
	if (!rc)
		rc = copy_to_user(t->root, dst, random_buf, len);
	kmem_wipe(random_buf, len);
	return rc ? rc : (long)len;
}

/* The report is built here, then copied out (one CPU, interrupts off in the kernel). */
static struct snp_report report;

long sys_attest_report(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint8_t report_data[64];
	size_t cap = a->a[2] > 4096 ? 4096 : a->a[2]; /* a report is < 4 KiB: check no more than that */
	int rc;
	if (!manifest_caps_grant(t->mt->caps, MANIFEST_CAP_ATTEST))
		return KEEL_EPERM; /* before looking at any argument (docs/abi.md) */
	rc = copy_from_user(t->root, report_data, uaddr_from(a->a[0]), sizeof(report_data));
	if (!rc)
		rc = uaccess_check(t->root, uaddr_from(a->a[1]), cap, UACCESS_WRITE);
	if (rc)
		return rc;
	long n = platform_attest_report(report_data, &report, sizeof(report));
	if (n < 0)
		return n;
	/* After the platform: ENOTSUP where there is none, whatever the size. */
	rc = (size_t)n > cap ? KEEL_ETOOBIG : copy_to_user(t->root, uaddr_from(a->a[1]), &report, (size_t)n);
	kmem_wipe(&report, sizeof(report));
	return rc ? rc : n;
}

long sys_set_tls(const struct syscall_args *a)
{
	struct task *t = sched_current();
	if (a->a[0] >= USER_TOP)
		return KEEL_EINVAL; /* canonical and in the user half */
	t->fs_base = a->a[0];
	wrmsr(MSR_FS_BASE, t->fs_base);
	return 0;
}

long sys_yield(const struct syscall_args *a)
{
	(void)a;
	sched_yield();
	return 0;
}

/*
 * The data= file (task/task_data.c): where and how big. KEEL_ENOENT without
 * one (the manifest decides, like a capability: checked first), then both
 * out pointers, then both written.
 */
long sys_task_data(const struct syscall_args *a)
{
	struct task *t = sched_current();
	uint64_t va = USER_DATA_BASE, size = t->data_size;
	struct uaddr data_out = uaddr_from(a->a[0]), size_out = uaddr_from(a->a[1]);
	int rc;
	if (!size)
		return KEEL_ENOENT;
	rc = uaccess_check(t->root, data_out, sizeof(va), UACCESS_WRITE);
	if (!rc)
		rc = uaccess_check(t->root, size_out, sizeof(size), UACCESS_WRITE);
	if (!rc)
		rc = copy_to_user(t->root, data_out, &va, sizeof(va));
	if (!rc)
		rc = copy_to_user(t->root, size_out, &size, sizeof(size));
	return rc;
}
