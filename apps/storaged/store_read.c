/* Reading a store: get, list, check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int store_get(struct store *s, const char *name, uint8_t **data, size_t *len)
{
	long i;
	uint8_t *buf;
	int rc;

	*data = NULL;
	*len = 0;
	store_why_clear(s);
	if (!name || !store_name_valid(name, strnlen(name, STORE_NAME_MAX)))
		return store_fail(s, STORAGED_EINVAL, "bad object name");
	i = store_dir_find(s, name, NULL);
	if (i < 0)
		return STORAGED_ABSENT;
	if (s->ents[i].size == 0)
		return STORAGED_OK;
	buf = malloc(s->ents[i].size);
	if (!buf)
		return store_fail(s, STORAGED_ENOMEM, "object %s: out of memory", name);
	rc = store_tree_read(s, &s->ents[i], 0, s->ents[i].size, buf);
	if (rc != STORAGED_OK) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = s->ents[i].size;
	return STORAGED_OK;
}

int store_read(struct store *s, const char *name, uint64_t offset, void *buf, size_t len,
               uint64_t *size, size_t *got)
{
	const struct store_ent *e;
	long i;
	uint64_t n;

	*size = 0;
	*got = 0;
	store_why_clear(s);
	if (!name || !store_name_valid(name, strnlen(name, STORE_NAME_MAX)))
		return store_fail(s, STORAGED_EINVAL, "bad object name");
	i = store_dir_find(s, name, NULL);
	if (i < 0)
		return STORAGED_ABSENT;
	e = &s->ents[i];
	*size = e->size;
	if (offset > e->size)
		return store_fail(s, STORAGED_EINVAL, "object %s: offset %llu past its end", name,
		                  (unsigned long long)offset);
	n = e->size - offset < len ? e->size - offset : len;
	*got = (size_t)n;
	return store_tree_read(s, e, offset, n, buf);
}

int store_list(struct store *s, const char *prefix,
               int (*fn)(void *arg, const char *name, uint64_t size), void *arg)
{
	size_t plen = prefix ? strlen(prefix) : 0;

	store_why_clear(s);
	for (uint32_t i = 0; i < s->nents; i++) {
		if (plen && strncmp(s->ents[i].name, prefix, plen) != 0)
			continue;
		if (fn(arg, s->ents[i].name, s->ents[i].size) != 0)
			break;
	}
	return STORAGED_OK;
}

int store_check(struct store *s)
{
	int rc;

	store_why_clear(s);
	rc = store_super_verify(s);
	for (uint32_t i = 0; rc == STORAGED_OK && i < s->nleaves; i++) {
		char what[32];

		snprintf(what, sizeof(what), "directory leaf %u", i);
		rc = store_block_read(s, &s->leaves[i].ptr, STORE_KIND_LEAF, s->buf, what);
	}
	for (uint32_t i = 0; rc == STORAGED_OK && i < s->nents; i++)
		rc = store_tree_check(s, &s->ents[i]);
	return rc;
}
