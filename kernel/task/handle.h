/*
 * A task's handle table: KEEL_MAX_HANDLES slots, each with a generation.
 * A handle value is (generation << 16) | slot (keel/types.h). Boot handles
 * have generation 0; closing a slot bumps its generation, so a stale value
 * is KEEL_EBADHANDLE, never a later object. Pure logic (host-tested).
 */
#ifndef KEEL_TASK_HANDLE_H
#define KEEL_TASK_HANDLE_H

#include <stdint.h>

#include <keel/types.h>

enum handle_type {
	HANDLE_NONE = 0,
	HANDLE_CHAN_END,
	HANDLE_IRQ, /* a device interrupt bound by keel_irq_bind (ipc/irq.h) */
};

struct handle_slot {
	uint16_t gen;
	uint8_t type;
	void *obj;
};

struct handle_table {
	struct handle_slot slot[KEEL_MAX_HANDLES];
};

void handle_table_init(struct handle_table *t);
/* Put `obj` in a given free slot (boot handles); the value is written to *out. */
int handle_install_at(struct handle_table *t, unsigned slot, uint8_t type, void *obj, keel_handle_t *out);
/* Put `obj` in the lowest free slot; KEEL_ENOMEM when full. */
int handle_install(struct handle_table *t, uint8_t type, void *obj, keel_handle_t *out);
/* 0 and *obj if `h` names a live object of `type`; else KEEL_EBADHANDLE. */
int handle_lookup(const struct handle_table *t, keel_handle_t h, uint8_t type, void **obj);
/* Empty the slot `h` names (any type) and bump its generation; returns its type and object. */
int handle_remove(struct handle_table *t, keel_handle_t h, uint8_t *type, void **obj);

#endif
