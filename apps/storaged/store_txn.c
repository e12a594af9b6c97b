/* Transactions: staging puts and deletes (docs/storage-format.md, "Commit"). */
#include <stdlib.h>
#include <string.h>

#include "store_txn.h"

int store_txn_begin(struct store *s, struct store_txn **out)
{
	struct store_txn *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return store_fail(s, STORAGED_ENOMEM, "out of memory");
	t->s = s;
	*out = t;
	return STORAGED_OK;
}

/* The staged op for `name`, new or the earlier one (its data dropped). */
static int stage(struct store_txn *t, const char *name, struct store_op **out)
{
	struct store *s = t->s;
	size_t len = name ? strnlen(name, STORE_NAME_MAX) : 0;

	if (!name || !store_name_valid(name, len))
		return store_fail(s, STORAGED_EINVAL, "bad object name");
	for (uint32_t i = 0; i < t->nops; i++) {
		if (strcmp(t->ops[i].name, name) == 0) {
			t->bytes -= t->ops[i].len;
			free(t->ops[i].data);
			t->ops[i].data = NULL;
			t->ops[i].len = 0;
			*out = &t->ops[i];
			return STORAGED_OK;
		}
	}
	if (t->nops >= STORE_TXN_MAX_OPS)
		return store_fail(s, STORAGED_ETOOBIG, "too many objects in one commit");
	if (t->nops == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 8;
		struct store_op *ops = realloc(t->ops, cap * sizeof(*ops));

		if (!ops)
			return store_fail(s, STORAGED_ENOMEM, "out of memory");
		t->ops = ops;
		t->cap = cap;
	}
	*out = &t->ops[t->nops++];
	memset(*out, 0, sizeof(**out));
	memcpy((*out)->name, name, len);
	return STORAGED_OK;
}

int store_txn_put(struct store_txn *t, const char *name, const void *data, size_t len)
{
	struct store_op *op;
	uint8_t *copy = NULL;
	size_t prior = 0;
	int rc;

	if (len > STORE_OBJECT_MAX)
		return store_fail(
		    t->s, STORAGED_ETOOBIG, "object %s: %zu bytes, the most is %u",
		    name && store_name_valid(name, strnlen(name, STORE_NAME_MAX)) ? name : "?", len,
		    STORE_OBJECT_MAX);
	for (uint32_t i = 0; name && i < t->nops; i++)
		if (strncmp(t->ops[i].name, name, STORE_NAME_MAX) == 0)
			prior = t->ops[i].len;
	if (t->bytes - prior + len > STORE_TXN_MAX_BYTES)
		return store_fail(t->s, STORAGED_ETOOBIG, "too many bytes staged in one commit");
	if (len) {
		copy = malloc(len);
		if (!copy)
			return store_fail(t->s, STORAGED_ENOMEM, "out of memory");
		memcpy(copy, data, len);
	}
	/* Fails only before touching an earlier op of the same name. */
	rc = stage(t, name, &op);
	if (rc != STORAGED_OK) {
		free(copy);
		return rc;
	}
	op->del = 0;
	op->data = copy;
	op->len = len;
	t->bytes += len;
	return STORAGED_OK;
}

int store_txn_delete(struct store_txn *t, const char *name)
{
	struct store_op *op;
	int rc = stage(t, name, &op);

	if (rc == STORAGED_OK)
		op->del = 1;
	return rc;
}

void store_txn_abort(struct store_txn *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nops; i++) {
		if (t->ops[i].data)
			explicit_bzero(t->ops[i].data, t->ops[i].len);
		free(t->ops[i].data);
	}
	free(t->ops);
	free(t);
}
