/* Whole-store snapshots for the store's tests (snap.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snap.h"

static int add(void *arg, const char *name, uint64_t size)
{
	struct snap *s = arg;

	(void)size;
	s->names = realloc(s->names, (s->n + 1) * sizeof(*s->names));
	s->data = realloc(s->data, (s->n + 1) * sizeof(*s->data));
	s->len = realloc(s->len, (s->n + 1) * sizeof(*s->len));
	strcpy(s->names[s->n], name);
	s->data[s->n] = NULL;
	s->len[s->n] = 0;
	s->n++;
	return 0;
}

int snap_read(struct store *st, struct snap *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_list(st, "", add, out);
	for (size_t i = 0; rc == STORAGED_OK && i < out->n; i++)
		rc = store_get(st, out->names[i], &out->data[i], &out->len[i]);
	return rc;
}

int snap_eq(const struct snap *a, const struct snap *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->names[i], b->names[i]) != 0 || a->len[i] != b->len[i] ||
		    (a->len[i] && memcmp(a->data[i], b->data[i], a->len[i]) != 0))
			return 0;
	return 1;
}

void snap_free(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->data[i]);
	free(s->names);
	free(s->data);
	free(s->len);
	memset(s, 0, sizeof(*s));
}

int snap_which(const struct store_dev *dev, const uint8_t *key, const struct snap *a,
               const struct snap *b, char *why, size_t whylen)
{
	struct store *s;
	struct snap now;
	int rc = store_open(dev, key, 0, &s, why, whylen), which;

	if (rc != STORAGED_OK)
		return rc < 0 ? rc : -100;
	rc = snap_read(s, &now);
	if (rc == STORAGED_OK)
		rc = store_check(s);
	if (rc != STORAGED_OK) {
		snprintf(why, whylen, "%s", store_why(s));
		snap_free(&now);
		store_close(s);
		return rc;
	}
	which = snap_eq(&now, a) ? 1 : snap_eq(&now, b) ? 2 : 0;
	snap_free(&now);
	store_close(s);
	return which;
}
