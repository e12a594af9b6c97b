/*
 * Modes fault setup|write|check: three objects at version 1, then a
 * commit of version 2 that the block driver's power cut interrupts, then
 * after a restart: all three objects at one version, 1 or 2, never mixed.
 * Mode bench N: commit latency through storaged next to a raw write+flush.
 */
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

#define FAULT_OBJECTS 3
#define FAULT_SIZE 9000u

static const char *const fault_names[FAULT_OBJECTS] = {"f-one", "f-two", "f-three"};

static int put_version(unsigned v)
{
	static uint8_t buf[FAULT_SIZE];
	for (unsigned i = 0; i < FAULT_OBJECTS; i++) {
		sc_fill(buf, sizeof(buf), v * 10 + i);
		int rc = storaged_put(SC_ALPHA, fault_names[i], buf, sizeof(buf));
		if (rc != STORAGED_OK)
			return rc;
	}
	return storaged_commit(SC_ALPHA, NULL);
}

/* The version all objects hold, or -1 if they disagree or one is unreadable. */
static int read_version(void)
{
	int version = -1;
	for (unsigned i = 0; i < FAULT_OBJECTS; i++) {
		uint8_t *d = NULL;
		size_t n = 0;
		int rc = storaged_get(SC_ALPHA, fault_names[i], &d, &n), v = -1;
		for (unsigned cand = 1; rc == STORAGED_OK && cand <= 2; cand++)
			if (n == FAULT_SIZE && sc_is(d, n, cand * 10 + i))
				v = (int)cand;
		free(d);
		sc_log("fault check: %s: status %d, version %d", fault_names[i], rc, v);
		if (v < 0 || (i > 0 && v != version))
			return -1;
		version = v;
	}
	return version;
}

int sc_mode_fault(const char *step)
{
	if (!strcmp(step, "setup")) {
		sc_check(put_version(1) == STORAGED_OK, "fault setup: version 1 committed");
		return sc_summary();
	}
	if (!strcmp(step, "write")) {
		int rc = put_version(2);
		sc_log("fault write: version 2 commit answered %d (%s)", rc, storaged_strerror(rc));
		return 0;
	}
	int v = read_version();
	sc_check(v == 1 || v == 2, "after the power cut the state is exactly one version: %d", v);
	sc_log("fault check: state is version %d", v);
	return sc_summary();
}

int sc_mode_bench(unsigned long n)
{
	static uint8_t buf[4096];
	int64_t raw_ns = -1;
	if (n == 0)
		n = 200;
	sc_fill(buf, sizeof(buf), 3);
	if (storaged_put(SC_ALPHA, "bench", buf, sizeof(buf)) || storaged_commit(SC_ALPHA, NULL))
		return sc_check(0, "bench: warm-up commit"), sc_summary();
	int64_t t0 = keel_time(KEEL_CLOCK_MONOTONIC);
	for (unsigned long i = 0; i < n; i++) {
		buf[0] = (uint8_t)i;
		if (storaged_put(SC_ALPHA, "bench", buf, sizeof(buf)) ||
		    storaged_commit(SC_ALPHA, NULL))
			return sc_check(0, "bench: commit %lu", i), sc_summary();
	}
	int64_t t1 = keel_time(KEEL_CLOCK_MONOTONIC);
	int raw = sc_raw_flush_bench(n, &raw_ns);
	sc_log(
	    "bench: storaged put+commit of one 4096-byte object: %lld ns per commit (%lu commits)",
	    (long long)((t1 - t0) / (int64_t)n), n);
	if (raw == 0)
		sc_log("bench: raw pwrite+fdatasync of 4096 bytes on the same file system: %lld ns "
		       "per write (%lu writes)",
		       (long long)raw_ns, n);
	else
		sc_log("bench: raw pwrite+fdatasync: not available here");
	return sc_summary();
}
