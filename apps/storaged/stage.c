/*
 * What a channel has staged for its next COMMIT: whole puts assembled
 * from in-order chunks, and deletes, with limits per channel
 * (STORAGED_STAGE_BYTES_MAX, STORAGED_STAGE_OBJECTS_MAX). Every check
 * comes before any change, so a refused chunk leaves the staging as it
 * was. COMMIT hands everything to one store transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "storaged.h"

static struct storaged_staged *stage_find(struct storaged_chan *ch, const char *full)
{
	for (unsigned i = 0; i < ch->nstaged; i++)
		if (!strcmp(ch->staged[i].name, full))
			return &ch->staged[i];
	return NULL;
}

static void staged_free(struct storaged_chan *ch, struct storaged_staged *e)
{
	if (!e->is_delete)
		ch->staged_bytes -= e->size;
	if (e->data) {
		explicit_bzero(e->data, (size_t)e->size);
		free(e->data);
	}
	e->data = NULL;
	e->size = e->filled = 0;
}

/* A new entry for `full`, or NULL when the channel has staged all it may. */
static struct storaged_staged *stage_new(struct storaged_chan *ch, const char *full)
{
	if (ch->nstaged == STORAGED_STAGE_OBJECTS_MAX)
		return NULL;
	struct storaged_staged *e = &ch->staged[ch->nstaged++];
	memset(e, 0, sizeof(*e));
	strcpy(e->name, full); /* the caller checked it fits STORE_NAME_MAX */
	e->is_delete = 1;      /* holds no bytes until it becomes a put */
	return e;
}

static int stage_start(struct storaged_chan *ch, struct storaged_staged *e, const char *full,
                       uint64_t total, const uint8_t *data, size_t len)
{
	uint64_t old = e && !e->is_delete ? e->size : 0;
	if (ch->staged_bytes - old + total > STORAGED_STAGE_BYTES_MAX)
		return STORAGED_ETOOBIG;
	if (!e && ch->nstaged == STORAGED_STAGE_OBJECTS_MAX)
		return STORAGED_ETOOBIG;
	uint8_t *buf = NULL;
	if (total && !(buf = malloc((size_t)total)))
		return STORAGED_ENOMEM;
	if (e)
		staged_free(ch, e);
	else
		e = stage_new(ch, full);
	e->is_delete = 0;
	e->data = buf;
	e->size = total;
	e->filled = len;
	ch->staged_bytes += total;
	if (len)
		memcpy(buf, data, len);
	return STORAGED_OK;
}

int storaged_stage_write(struct storaged_chan *ch, const char *full, uint64_t offset,
                         uint64_t total, const uint8_t *data, size_t len, uint64_t *filled)
{
	struct storaged_staged *e = stage_find(ch, full);
	if (total > STORAGED_OBJECT_MAX)
		return STORAGED_ETOOBIG;
	if (len > total || offset > total - len)
		return STORAGED_EINVAL;
	if (offset == 0) {
		int rc = stage_start(ch, e, full, total, data, len);
		if (rc == STORAGED_OK)
			*filled = len;
		return rc;
	}
	/* A later chunk continues exactly where the object's last one ended. */
	if (!e || e->is_delete || e->size != total || e->filled != offset)
		return STORAGED_EINVAL;
	memcpy(e->data + offset, data, len);
	e->filled += len;
	*filled = e->filled;
	return STORAGED_OK;
}

int storaged_stage_delete(struct storaged_chan *ch, const char *full)
{
	struct storaged_staged *e = stage_find(ch, full);
	if (e) {
		staged_free(ch, e);
		e->is_delete = 1;
		return STORAGED_OK;
	}
	return stage_new(ch, full) ? STORAGED_OK : STORAGED_ETOOBIG;
}

void storaged_stage_drop(struct storaged_chan *ch)
{
	for (unsigned i = 0; i < ch->nstaged; i++)
		staged_free(ch, &ch->staged[i]);
	ch->nstaged = 0;
	ch->staged_bytes = 0;
}

/* Everything staged, in one transaction; the staging is gone afterwards whatever the outcome. */
int storaged_stage_commit(struct storaged_chan *ch, struct store *s)
{
	struct store_txn *t = NULL;
	int rc = STORAGED_OK;
	for (unsigned i = 0; i < ch->nstaged; i++)
		if (!ch->staged[i].is_delete && ch->staged[i].filled != ch->staged[i].size)
			return STORAGED_EINVAL; /* an incomplete put: nothing changes, finish or
			                           ABORT */
	if (ch->nstaged == 0)
		return STORAGED_OK;
	rc = store_txn_begin(s, &t);
	for (unsigned i = 0; rc == STORAGED_OK && i < ch->nstaged; i++) {
		struct storaged_staged *e = &ch->staged[i];
		rc = e->is_delete ? store_txn_delete(t, e->name)
		                  : store_txn_put(t, e->name, e->data, (size_t)e->size);
		staged_free(ch, e); /* the transaction holds its own copy */
	}
	if (rc == STORAGED_OK)
		rc = store_txn_commit(t);
	else if (t)
		store_txn_abort(t);
	storaged_stage_drop(ch);
	return rc;
}
