/* An in-memory storaged: staged puts/deletes, applied all at once by commit. */
#include <stdlib.h>
#include <string.h>

#include "../../../apps/storaged/storaged_client.h"
#include "fake_storaged.h"

#define MAX_OBJ 512

struct obj {
	char name[64];
	uint8_t *data;
	size_t len;
	int del; /* staged only */
};

static struct obj committed[MAX_OBJ], staged[MAX_OBJ];
static size_t ncommitted, nstaged;
int fake_storaged_fail_commit;
unsigned fake_storaged_commits;

static void clear(struct obj *o, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free(o[i].data);
	*n = 0;
}

void fake_storaged_reset(void)
{
	clear(committed, &ncommitted);
	clear(staged, &nstaged);
	fake_storaged_fail_commit = 0;
	fake_storaged_commits = 0;
}

static struct obj *find(struct obj *o, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].name, name) == 0)
			return &o[i];
	return NULL;
}

static void set(struct obj *o, size_t *n, const char *name, const void *data, size_t len, int del)
{
	struct obj *x = find(o, *n, name);
	if (!x) {
		x = &o[(*n)++];
		strcpy(x->name, name);
	} else {
		free(x->data);
	}
	x->data = len ? malloc(len) : NULL;
	if (len)
		memcpy(x->data, data, len);
	x->len = len;
	x->del = del;
}

static void drop(struct obj *o, size_t *n, const char *name)
{
	struct obj *x = find(o, *n, name);
	if (!x)
		return;
	free(x->data);
	*x = o[--*n];
}

const uint8_t *fake_storaged_object(const char *name, size_t *len)
{
	struct obj *x = find(committed, ncommitted, name);
	if (!x)
		return NULL;
	*len = x->len;
	return x->data ? x->data : (const uint8_t *)"";
}

void fake_storaged_poke(const char *name, const void *data, size_t len)
{
	set(committed, &ncommitted, name, data, len, 0);
}

size_t fake_storaged_count(void)
{
	return ncommitted;
}

int storaged_get(keel_handle_t h, const char *name, uint8_t **data, size_t *len)
{
	(void)h;
	struct obj *x = find(committed, ncommitted, name);
	if (!x)
		return STORAGED_ABSENT;
	*data = x->len ? malloc(x->len) : NULL;
	if (x->len)
		memcpy(*data, x->data, x->len);
	*len = x->len;
	return STORAGED_OK;
}

int storaged_put(keel_handle_t h, const char *name, const void *data, size_t len)
{
	(void)h;
	if (strlen(name) > 47 || nstaged == MAX_OBJ)
		return STORAGED_EIO;
	set(staged, &nstaged, name, data, len, 0);
	return STORAGED_OK;
}

int storaged_delete(keel_handle_t h, const char *name)
{
	(void)h;
	set(staged, &nstaged, name, NULL, 0, 1);
	return STORAGED_OK;
}

int storaged_commit(keel_handle_t h, uint64_t *generation)
{
	(void)h;
	if (fake_storaged_fail_commit)
		return STORAGED_EIO;
	for (size_t i = 0; i < nstaged; i++) {
		if (staged[i].del)
			drop(committed, &ncommitted, staged[i].name);
		else
			set(committed, &ncommitted, staged[i].name, staged[i].data, staged[i].len,
			    0);
	}
	clear(staged, &nstaged);
	fake_storaged_commits++;
	if (generation)
		*generation = fake_storaged_commits;
	return STORAGED_OK;
}

int storaged_abort(keel_handle_t h)
{
	(void)h;
	clear(staged, &nstaged);
	return STORAGED_OK;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct obj *)a)->name, ((const struct obj *)b)->name);
}

int storaged_list(keel_handle_t h, int (*fn)(void *arg, const char *name, uint64_t size), void *arg)
{
	(void)h;
	qsort(committed, ncommitted, sizeof(committed[0]), cmp);
	for (size_t i = 0; i < ncommitted; i++)
		if (fn(arg, committed[i].name, committed[i].len))
			break;
	return STORAGED_OK;
}

const char *storaged_strerror(int status)
{
	return status == STORAGED_OK ? "ok" : "fake failure";
}
