#include <keel/errors.h>

#include "arch/x86_64/trap.h"
#include "ipc/irq.h"
#include "platform/devices.h"
#include "task/sched.h"

static struct irq irqs[IRQ_MAX];

int irq_bind(struct task *t, unsigned line, struct irq **out)
{
	struct irq *free = 0;
	for (unsigned i = 0; i < IRQ_MAX; i++) {
		if (irqs[i].in_use && irqs[i].line == line)
			return KEEL_EBUSY;
		if (!irqs[i].in_use && !free)
			free = &irqs[i];
	}
	if (!free)
		return KEEL_ENOMEM;
	*free = (struct irq){.in_use = 1, .owner = t, .line = line};
	platform_irq_route(line, (uint8_t)(VECTOR_IRQ_BASE + (free - irqs)));
	platform_irq_mask(line, 0);
	*out = free;
	return 0;
}

void irq_release(struct irq *q)
{
	platform_irq_mask(q->line, 1);
	*q = (struct irq){0};
}

void irq_ack(struct irq *q)
{
	q->pending = 0;
	platform_irq_mask(q->line, 0);
}

/* Level-triggered: masked until acked, or the line would fire again at once. */
int irq_interrupt(uint64_t vector)
{
	struct irq *q;
	if (vector < VECTOR_IRQ_BASE || vector >= VECTOR_IRQ_BASE + IRQ_MAX)
		return 0;
	q = &irqs[vector - VECTOR_IRQ_BASE];
	if (q->in_use) {
		platform_irq_mask(q->line, 1);
		q->pending = 1;
		q->fired++;
		sched_wake(q->owner);
	}
	return 1;
}

int irq_any_waited(void)
{
	for (unsigned i = 0; i < IRQ_MAX; i++)
		if (irqs[i].in_use && irqs[i].waited && !irqs[i].pending)
			return 1;
	return 0;
}
