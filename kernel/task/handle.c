#include <keel/errors.h>

#include "task/handle.h"

void handle_table_init(struct handle_table *t)
{
	for (unsigned i = 0; i < KEEL_MAX_HANDLES; i++)
		t->slot[i] = (struct handle_slot){0, HANDLE_NONE, 0};
}

int handle_install_at(struct handle_table *t, unsigned slot, uint8_t type, void *obj, keel_handle_t *out)
{
	if (slot >= KEEL_MAX_HANDLES || type == HANDLE_NONE || !obj)
		return KEEL_EINVAL;
	struct handle_slot *s = &t->slot[slot];
	if (s->type != HANDLE_NONE)
		return KEEL_EBUSY;
	s->type = type;
	s->obj = obj;
	*out = KEEL_HANDLE_MAKE(slot, s->gen);
	return 0;
}

int handle_install(struct handle_table *t, uint8_t type, void *obj, keel_handle_t *out)
{
	for (unsigned i = 0; i < KEEL_MAX_HANDLES; i++)
		if (t->slot[i].type == HANDLE_NONE)
			return handle_install_at(t, i, type, obj, out);
	return KEEL_ENOMEM;
}

static struct handle_slot *find(const struct handle_table *t, keel_handle_t h)
{
	uint32_t slot = KEEL_HANDLE_SLOT(h);
	if (slot >= KEEL_MAX_HANDLES)
		return 0;
	const struct handle_slot *s = &t->slot[slot];
	if (s->type == HANDLE_NONE || s->gen != KEEL_HANDLE_GEN(h))
		return 0;
	return (struct handle_slot *)s;
}

int handle_lookup(const struct handle_table *t, keel_handle_t h, uint8_t type, void **obj)
{
	struct handle_slot *s = find(t, h);
	if (!s || s->type != type)
		return KEEL_EBADHANDLE;
	*obj = s->obj;
	return 0;
}

int handle_remove(struct handle_table *t, keel_handle_t h, uint8_t *type, void **obj)
{
	struct handle_slot *s = find(t, h);
	if (!s)
		return KEEL_EBADHANDLE;
	*type = s->type;
	*obj = s->obj;
	s->type = HANDLE_NONE;
	s->obj = 0;
	s->gen++;
	return 0;
}
