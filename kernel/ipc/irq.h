/*
 * Device interrupts as notification objects (docs/abi.md "Interrupts"). A
 * task with a device= grant binds the device's line (keel_irq_bind) and
 * gets a handle; the interrupt masks the line, marks the object pending and
 * wakes the owner; keel_wait sees it ready; keel_irq_ack clears pending and
 * unmasks. Closing the handle or the task's end unbinds and masks it.
 */
#ifndef KEEL_IPC_IRQ_H
#define KEEL_IPC_IRQ_H

#include <stdint.h>

struct task;

#define IRQ_MAX 8 /* bound lines at once; vectors VECTOR_IRQ_BASE .. + IRQ_MAX - 1 */

struct irq {
	int in_use;
	struct task *owner;
	unsigned line;  /* the platform's line (platform/devices.h) */
	int pending;    /* fired since the last ack; the line is masked meanwhile */
	int waited;     /* the owner is blocked in keel_wait on it */
	uint64_t fired; /* interrupts taken since bound */
};

/* A free object for `line`, routed and unmasked, owned by `t`: 0, KEEL_EBUSY
 * (the line is bound) or KEEL_ENOMEM (IRQ_MAX bound). Not installed anywhere. */
int irq_bind(struct task *t, unsigned line, struct irq **out);
/* Undo irq_bind (mask the line, free the object): handle close, task end. */
void irq_release(struct irq *q);
/* Re-arm: clear pending, unmask. */
void irq_ack(struct irq *q);
static inline int irq_ready(const struct irq *q)
{
	return q->pending;
}
/* The interrupt `vector` arrived (trap.c); 1 if it is one of ours. */
int irq_interrupt(uint64_t vector);
/* Some task is blocked in keel_wait on an armed line (it can still be woken). */
int irq_any_waited(void);

#endif
