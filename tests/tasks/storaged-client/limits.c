/*
 * Mode limits (slots 1 and 2, two namespaces, nothing else staging): the
 * staging limits of docs/storaged.md. A WRITE at offset 0 reserves the
 * object's whole size, so one byte of data stakes a 4 MiB claim.
 */
#include <stdlib.h>
#include <string.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

static int claim(keel_handle_t h, const char *name, uint64_t size)
{
	char n[48] = {0};
	strcpy(n, name);
	return sc_raw(h, STORAGED_OP_WRITE, n, 0, size, "x", 1, NULL);
}

/* The largest object there may be, through the client library, and one byte more. */
static void largest_object(void)
{
	size_t max = STORAGED_OBJECT_MAX;
	uint8_t *big = malloc(max + 1), *d = NULL;
	size_t n = 0;
	if (!big) {
		sc_check(0, "4 MiB + 1 buffer");
		return;
	}
	sc_fill(big, max + 1, 44);
	sc_check(storaged_put(SC_ALPHA, "largest", big, max + 1) == STORAGED_ETOOBIG,
	         "a put of 4 MiB + 1: ETOOBIG");
	sc_check(storaged_put(SC_ALPHA, "largest", big, max) == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "a 4 MiB object commits");
	sc_check(storaged_get(SC_ALPHA, "largest", &d, &n) == STORAGED_OK && n == max &&
	             !memcmp(d, big, max),
	         "the 4 MiB object reads back byte for byte");
	sc_check(storaged_delete(SC_ALPHA, "largest") == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "and is deleted");
	free(d);
	free(big);
}

int sc_mode_limits(void)
{
	largest_object();
	const uint64_t max = STORAGED_OBJECT_MAX;
	sc_check(claim(SC_ALPHA, "l1", max) == STORAGED_OK &&
	             claim(SC_ALPHA, "l2", max) == STORAGED_OK,
	         "two 4 MiB objects staged on one channel (8 MiB)");
	sc_check(claim(SC_ALPHA, "l3", 1) == STORAGED_ETOOBIG,
	         "one byte more on that channel: ETOOBIG");
	sc_check(claim(SC_ALPHA, "l2", 1000) == STORAGED_OK,
	         "restarting an object gives its room back");
	sc_check(claim(SC_BETA, "m1", max) == STORAGED_OK,
	         "4 MiB on the other channel (8 MiB + 1000 bytes in all)");
	sc_check(
	    claim(SC_BETA, "m2", max) == STORAGED_ETOOBIG,
	    "4 MiB more there: within its own 8 MiB, over the 12 MiB of all channels: ETOOBIG");
	sc_check(storaged_abort(SC_ALPHA) == STORAGED_OK &&
	             claim(SC_BETA, "m2", max) == STORAGED_OK,
	         "after ABORT on the first, the second has room");
	sc_check(storaged_commit(SC_BETA, NULL) == STORAGED_EINVAL &&
	             storaged_abort(SC_BETA) == STORAGED_OK,
	         "incomplete objects do not commit; ABORT");
	int rc = STORAGED_OK;
	unsigned i;
	for (i = 0; i < 64 && rc == STORAGED_OK; i++) {
		char n[8] = "d-00";
		n[2] = (char)('0' + i / 10);
		n[3] = (char)('0' + i % 10);
		rc = storaged_delete(SC_ALPHA, n);
	}
	sc_check(rc == STORAGED_OK && storaged_delete(SC_ALPHA, "d-64") == STORAGED_ETOOBIG,
	         "64 staged deletes, the 65th: ETOOBIG");
	sc_check(storaged_delete(SC_ALPHA, "d-07") == STORAGED_OK, "staging one again is fine");
	sc_check(storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "64 deletes of absent objects commit");
	return sc_summary();
}
