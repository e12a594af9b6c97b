/*
 * Modes two (namespace isolation: slot 1 and slot 2 reach two namespaces), persist-write /
 * persist-check (state across keel-hosted restarts), key (the key sender), locked-get (a client
 * that must wait for the key).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

int sc_get_is(keel_handle_t h, const char *name, size_t len, unsigned tag);

static int count(void *arg, const char *name, uint64_t size)
{
	(void)name;
	(void)size;
	++*(unsigned *)arg;
	return 0;
}

int sc_mode_two(void)
{
	uint8_t a[3000], b[2000];
	unsigned na = 0, nb = 0;
	sc_fill(a, sizeof(a), 1);
	sc_fill(b, sizeof(b), 2);
	sc_check(storaged_put(SC_ALPHA, "same", a, sizeof(a)) == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK,
	         "first: put and commit \"same\"");
	sc_check(storaged_get(SC_BETA, "same", &(uint8_t *){NULL}, &(size_t){0}) == STORAGED_ABSENT,
	         "second does not see first's \"same\"");
	sc_check(storaged_put(SC_BETA, "same", b, sizeof(b)) == STORAGED_OK &&
	             storaged_put(SC_BETA, "only-second", b, 10) == STORAGED_OK &&
	             storaged_commit(SC_BETA, NULL) == STORAGED_OK,
	         "second: put and commit its own \"same\" and \"only-second\"");
	sc_check(sc_get_is(SC_ALPHA, "same", sizeof(a), 1), "first reads its own data");
	sc_check(sc_get_is(SC_BETA, "same", sizeof(b), 2), "second reads its own data");
	int ra = storaged_list(SC_ALPHA, count, &na), rb = storaged_list(SC_BETA, count, &nb);
	sc_check(ra == STORAGED_OK && na == 1, "first lists 1 object (%u)", na);
	sc_check(rb == STORAGED_OK && nb == 2, "second lists 2 objects (%u)", nb);
	sc_check(storaged_delete(SC_ALPHA, "only-second") == STORAGED_OK &&
	             storaged_commit(SC_ALPHA, NULL) == STORAGED_OK &&
	             sc_get_is(SC_BETA, "only-second", 10, 2),
	         "first deleting \"only-second\" leaves second's alone");
	sc_check(storaged_delete(SC_BETA, "same") == STORAGED_OK &&
	             sc_get_is(SC_ALPHA, "same", sizeof(a), 1) &&
	             storaged_abort(SC_BETA) == STORAGED_OK,
	         "staging is per channel");
	return sc_summary();
}

int sc_mode_persist(int write)
{
	static uint8_t big[200000];
	uint64_t gen = 0;
	if (write) {
		sc_fill(big, sizeof(big), 5);
		sc_check(storaged_put(SC_ALPHA, "p-small", "hello", 5) == STORAGED_OK &&
		             storaged_put(SC_ALPHA, "p-big", big, sizeof(big)) == STORAGED_OK &&
		             storaged_commit(SC_ALPHA, &gen) == STORAGED_OK,
		         "persist: two objects committed");
		sc_log("persist: generation %llu", (unsigned long long)gen);
		struct keel_msg st = {STORAGED_OP_STATUS, 0};
		struct storaged_rsp r = {0};
		long n = keel_chan_call(SC_ALPHA, &st, sizeof(st), &r, sizeof(r));
		sc_log("persist: STATUS answered %ld bytes, flags %#x", n,
		       n == (long)sizeof(r) ? r.flags : 0);
		return sc_summary();
	}
	uint8_t *d = NULL;
	size_t n = 0;
	sc_check(storaged_get(SC_ALPHA, "p-small", &d, &n) == STORAGED_OK && n == 5 &&
	             !memcmp(d, "hello", 5),
	         "persist: p-small is back after the restart");
	free(d);
	sc_check(sc_get_is(SC_ALPHA, "p-big", sizeof(big), 5),
	         "persist: p-big (200000 bytes) is back");
	return sc_summary();
}

/* UNLOCK with key byte `k` (all 32 bytes) and min_generation; the status, *gen the answer's size.
 */
static int unlock(uint8_t k, uint64_t min_gen, uint64_t *gen, uint32_t *flags)
{
	struct storaged_unlock u;
	struct storaged_rsp r;
	uint8_t rsp[64];
	memset(&u, 0, sizeof(u));
	u.hdr.op = STORAGED_OP_UNLOCK;
	u.hdr.len = sizeof(u) - sizeof(u.hdr);
	memset(u.key, k, sizeof(u.key));
	u.min_generation = min_gen;
	long n = keel_chan_call(SC_KEY, &u, sizeof(u), rsp, sizeof(rsp));
	if (n != (long)sizeof(r))
		return -1000;
	memcpy(&r, rsp, sizeof(r));
	*gen = r.size;
	*flags = r.flags;
	return r.status;
}

/* The answer a first UNLOCK with key `k` must get in mode `how`, or 0 when there is no first try.
 */
static int first_try(const char *how, uint8_t *k, uint64_t *min_gen)
{
	*k = 0x11;
	*min_gen = 0;
	if (!strcmp(how, "wrong-then-good") || !strcmp(how, "wrong")) {
		*k = 0x22;
		return STORAGED_EKEY;
	}
	if (!strcmp(how, "rollback")) {
		*min_gen = 1000;
		return STORAGED_EROLLBACK;
	}
	if (!strcmp(how, "foreign"))
		return STORAGED_EFOREIGN;
	return 0;
}

/*
 * key good | wrong-then-good | wrong | rollback | foreign: the key sender
 * on slot 1. "wrong" and "foreign" stop after the refused try (the key
 * channel then closes); the others go on with the right key (0x11 x 32).
 */
int sc_mode_key(const char *how)
{
	uint64_t gen = 0, min_gen;
	uint32_t flags = 0;
	uint8_t k;
	int want = first_try(how, &k, &min_gen), rc;
	if (want) {
		rc = unlock(k, min_gen, &gen, &flags);
		sc_check(rc == want && !(flags & STORAGED_F_UNLOCKED),
		         "%s: the first UNLOCK is answered %d (%d), still locked", how, want, rc);
		sc_log("key sender: first UNLOCK answered %d (%s)", rc, storaged_strerror(rc));
		if (!strcmp(how, "wrong") || !strcmp(how, "foreign"))
			return sc_summary();
		keel_wait(&(keel_handle_t){SC_KEY}, 1,
		          300000000ull); /* let a client wait a while */
	}
	rc = unlock(0x11, 0, &gen, &flags);
	sc_check(rc == STORAGED_OK && (flags & STORAGED_F_UNLOCKED),
	         "the right key unlocks: generation %llu", (unsigned long long)gen);
	sc_log("key sender: unlocked at generation %llu", (unsigned long long)gen);
	rc = unlock(0x11, 0, &gen, &flags);
	sc_check(rc == STORAGED_EPERM, "a second UNLOCK is refused (%d)", rc);
	return sc_summary();
}

/* locked-get: p-small once storaged is unlocked; locked-get locked: STORAGED_ELOCKED. */
int sc_mode_locked_get(int want_locked)
{
	uint8_t *d = NULL;
	size_t n = 0;
	sc_log("locked-get: asking for p-small");
	int rc = storaged_get(SC_ALPHA, "p-small", &d, &n);
	sc_log("locked-get: answered %d", rc);
	if (want_locked)
		sc_check(rc == STORAGED_ELOCKED,
		         "no key will come: the client is answered ELOCKED (%d)", rc);
	else
		sc_check(rc == STORAGED_OK && n == 5 && !memcmp(d, "hello", 5),
		         "the waiting client gets p-small");
	free(d);
	return sc_summary();
}
