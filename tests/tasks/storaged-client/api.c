/*
 * Mode api (namespace alpha on slot 1): put, get, list, delete, commit and
 * abort through the client library; several objects in one commit; a
 * 1 MiB object; names and requests storaged must refuse.
 */
#include <stdlib.h>
#include <string.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

struct listed {
	unsigned n;
	char names[8][48];
	uint64_t sizes[8];
};

static int collect(void *arg, const char *name, uint64_t size)
{
	struct listed *l = arg;
	if (l->n < 8) {
		strcpy(l->names[l->n], name);
		l->sizes[l->n] = size;
	}
	l->n++;
	return 0;
}

/* get `name` and compare with tag's pattern of len bytes. */
int sc_get_is(keel_handle_t h, const char *name, size_t len, unsigned tag)
{
	uint8_t *d = NULL;
	size_t n = 0;
	int rc = storaged_get(h, name, &d, &n);
	int ok = rc == STORAGED_OK && n == len && sc_is(d, n, tag);
	free(d);
	return ok;
}

static void several_in_one_commit(void)
{
	uint8_t buf[5000];
	uint64_t g0 = 0, g1 = 0;
	struct listed l = {0};
	sc_check(storaged_commit(SC_ALPHA, &g0) == STORAGED_OK, "an empty commit is fine");
	for (unsigned i = 0; i < 3; i++) {
		char name[8] = "obj-a";
		name[4] = (char)('a' + i);
		sc_fill(buf, 1000 + i * 2000, i + 1);
		sc_check(storaged_put(SC_ALPHA, name, buf, 1000 + i * 2000) == STORAGED_OK,
		         "put %s", name);
	}
	sc_check(storaged_get(SC_ALPHA, "obj-a", &(uint8_t *){NULL}, &(size_t){0}) ==
	             STORAGED_ABSENT,
	         "a staged object is not visible before COMMIT");
	/* Other tasks commit too (one store): the generation only has to go up. */
	sc_check(storaged_commit(SC_ALPHA, &g1) == STORAGED_OK && g1 > g0,
	         "three objects in one commit: generation %llu -> %llu", (unsigned long long)g0,
	         (unsigned long long)g1);
	for (unsigned i = 0; i < 3; i++) {
		char name[8] = "obj-a";
		name[4] = (char)('a' + i);
		sc_check(sc_get_is(SC_ALPHA, name, 1000 + i * 2000, i + 1), "get %s back", name);
	}
	int rc = storaged_list(SC_ALPHA, collect, &l);
	sc_check(rc == STORAGED_OK && l.n == 3 && !strcmp(l.names[0], "obj-a") &&
	             !strcmp(l.names[2], "obj-c") && l.sizes[1] == 3000,
	         "list: obj-a obj-b obj-c in order with sizes (%u entries)", l.n);
}

static void delete_and_abort(void)
{
	uint8_t buf[100];
	struct listed l = {0};
	sc_check(storaged_delete(SC_ALPHA, "obj-b") == STORAGED_OK, "stage delete obj-b");
	sc_check(storaged_delete(SC_ALPHA, "never-was") == STORAGED_OK,
	         "deleting an absent object is fine");
	sc_fill(buf, sizeof(buf), 9);
	sc_check(storaged_put(SC_ALPHA, "obj-a", buf, sizeof(buf)) == STORAGED_OK,
	         "stage a new obj-a");
	sc_check(storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "commit the delete and the replace");
	sc_check(storaged_get(SC_ALPHA, "obj-b", &(uint8_t *){NULL}, &(size_t){0}) ==
	             STORAGED_ABSENT,
	         "obj-b is gone");
	sc_check(sc_get_is(SC_ALPHA, "obj-a", sizeof(buf), 9), "obj-a replaced");
	sc_check(storaged_put(SC_ALPHA, "obj-c", buf, 10) == STORAGED_OK &&
	             storaged_delete(SC_ALPHA, "obj-a") == STORAGED_OK &&
	             storaged_abort(SC_ALPHA) == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "stage, abort, commit");
	sc_check(sc_get_is(SC_ALPHA, "obj-a", sizeof(buf), 9) &&
	             sc_get_is(SC_ALPHA, "obj-c", 5000, 3),
	         "ABORT dropped what was staged");
	int rc = storaged_list(SC_ALPHA, collect, &l);
	sc_check(rc == STORAGED_OK && l.n == 2, "list: 2 objects left (%u)", l.n);
	sc_check(storaged_put(SC_ALPHA, "empty", NULL, 0) == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "an empty object commits");
	uint8_t *d = (uint8_t *)1;
	size_t n = 1;
	sc_check(storaged_get(SC_ALPHA, "empty", &d, &n) == STORAGED_OK && n == 0 && d == NULL,
	         "an empty object reads back empty");
}

static void one_mebibyte(void)
{
	size_t len = 1u << 20;
	uint8_t *big = malloc(len);
	uint8_t *d = NULL;
	size_t n = 0;
	if (!big) {
		sc_check(0, "1 MiB buffer");
		return;
	}
	sc_fill(big, len, 77);
	sc_check(storaged_put(SC_ALPHA, "big", big, len) == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "1 MiB object put and committed");
	sc_check(storaged_get(SC_ALPHA, "big", &d, &n) == STORAGED_OK && n == len &&
	             !memcmp(d, big, len),
	         "1 MiB object read back byte for byte");
	free(d);
	free(big);
}

void sc_api_refusals(void); /* refuse.c */

int sc_mode_api(void)
{
	several_in_one_commit();
	delete_and_abort();
	one_mebibyte();
	sc_api_refusals();
	return sc_summary();
}
