/* Interrupt syscalls: decode and check, then hand over to ipc/irq.c. */
#include "ipc/irq.h"
#include "platform/devices.h"
#include "syscall/syscall.h"
#include "task/sched.h"

/* keel_irq_bind(device): the task's device= grant `device` -> a handle. */
long sys_irq_bind(const struct syscall_args *a)
{
	struct task *t = sched_current();
	struct device_window w;
	struct irq *q;
	keel_handle_t h;
	unsigned line;
	uint64_t dev = a->a[0];
	int rc;
	if (dev >= t->mt->ndevices)
		return KEEL_EPERM;
	if ((rc = platform_device_find(t->mt->devices[dev], &w)) ||
	    (rc = platform_device_irq(&w, &line)))
		return rc;
	if ((rc = irq_bind(t, line, &q)))
		return rc;
	if ((rc = handle_install(&t->handles, HANDLE_IRQ, q, &h))) {
		irq_release(q); /* the table is full: nothing stays bound */
		return rc;
	}
	return (long)h;
}

long sys_irq_ack(const struct syscall_args *a)
{
	struct task *t = sched_current();
	void *obj;
	int rc;
	if (a->a[0] > 0xffffffffull)
		return KEEL_EBADHANDLE;
	if ((rc = handle_lookup(&t->handles, (keel_handle_t)a->a[0], HANDLE_IRQ, &obj)))
		return rc;
	irq_ack(obj);
	return 0;
}
