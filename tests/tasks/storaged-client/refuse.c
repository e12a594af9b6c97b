/*
 * What storaged must refuse on a client channel (raw requests, past the
 * client library's own checks): bad names, UNLOCK, out-of-order chunks,
 * incomplete objects at COMMIT, oversized objects, malformed framing.
 */
#include <string.h>

#include <keel/syscall.h>

#include "sc.h"
#include "../../../apps/storaged/storaged_client.h"

static void bad_name(const char *what, const char name[48])
{
	int w = sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 0, 1, "x", 1, NULL);
	int r = sc_raw(SC_ALPHA, STORAGED_OP_READ, name, 0, 10, NULL, 0, NULL);
	int d = sc_raw(SC_ALPHA, STORAGED_OP_DELETE, name, 0, 0, NULL, 0, NULL);
	sc_check(w == STORAGED_EINVAL && r == STORAGED_EINVAL && d == STORAGED_EINVAL,
	         "name %s: EINVAL for WRITE, READ, DELETE (%d %d %d)", what, w, r, d);
}

static void names(void)
{
	char n[48];
	bad_name("\"\"", (char[48]){0});
	bad_name("\"a/b\"", (char[48]){"a/b"});
	bad_name("\"../beta/x\"", (char[48]){"../beta/x"});
	bad_name("\"..\"", (char[48]){".."});
	bad_name("\".\"", (char[48]){"."});
	bad_name("\"/x\"", (char[48]){"/x"});
	bad_name("\"A\"", (char[48]){"A"});
	bad_name("\"a b\"", (char[48]){"a b"});
	bad_name("\"a<NUL>b\" (a byte after the NUL)", (char[48]){'a', 0, 'b'});
	memset(n, 'a', sizeof(n));
	bad_name("of 48 characters (no NUL)", n);
	memset(n, 'a', sizeof(n));
	n[47] = '\0';
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_DELETE, n, 0, 0, NULL, 0, NULL) == STORAGED_OK &&
	             storaged_abort(SC_ALPHA) == STORAGED_OK,
	         "a 47-character name is fine");
	sc_check(storaged_put(SC_ALPHA, "a/b", "x", 1) == STORAGED_EINVAL,
	         "client library: put \"a/b\" EINVAL");
}

static void channel_rules(void)
{
	uint8_t unlock[sizeof(struct storaged_unlock)] = {0};
	uint8_t rsp[64];
	struct storaged_unlock u;
	memset(&u, 0x11, sizeof(u));
	u.hdr.op = STORAGED_OP_UNLOCK;
	u.hdr.len = sizeof(u) - sizeof(u.hdr);
	memcpy(unlock, &u, sizeof(u));
	long n = keel_chan_call(SC_ALPHA, unlock, sizeof(unlock), rsp, sizeof(rsp));
	struct storaged_rsp r = {0};
	if (n >= (long)sizeof(r))
		memcpy(&r, rsp, sizeof(r));
	sc_check(n == (long)sizeof(r) && r.status == STORAGED_EPERM,
	         "UNLOCK on a client channel: EPERM");
	uint64_t gen = 0;
	struct keel_msg st = {STORAGED_OP_STATUS, 0};
	n = keel_chan_call(SC_ALPHA, &st, sizeof(st), rsp, sizeof(rsp));
	memcpy(&r, rsp, sizeof(r));
	gen = r.size;
	sc_check(n == (long)sizeof(r) && r.status == STORAGED_OK &&
	             (r.flags & STORAGED_F_UNLOCKED) && gen > 0,
	         "STATUS: unlocked, generation %llu, flags %#x", (unsigned long long)gen, r.flags);
	struct keel_msg bad = {STORAGED_OP_READ, 1000};
	n = keel_chan_call(SC_ALPHA, &bad, sizeof(bad), rsp, sizeof(rsp));
	memcpy(&r, rsp, sizeof(r));
	sc_check(n == (long)sizeof(r) && r.status == STORAGED_EINVAL, "misframed request: EINVAL");
	struct keel_msg unknown = {0x1ff, 0};
	n = keel_chan_call(SC_ALPHA, &unknown, sizeof(unknown), rsp, sizeof(rsp));
	memcpy(&r, rsp, sizeof(r));
	sc_check(n == (long)sizeof(r) && r.status == STORAGED_EINVAL, "unknown op: EINVAL");
}

static void chunks(void)
{
	static uint8_t data[STORAGED_CHUNK_MAX + 1];
	char name[48] = "chunky";
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 0, 100, data, 10, NULL) == STORAGED_OK &&
	             sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 20, 100, data, 10, NULL) ==
	                 STORAGED_EINVAL,
	         "a chunk out of order: EINVAL");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 10, 99, data, 10, NULL) ==
	             STORAGED_EINVAL,
	         "a chunk with another total size: EINVAL");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 95, 100, data, 10, NULL) ==
	             STORAGED_EINVAL,
	         "a chunk past the object's end: EINVAL");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_COMMIT, (char[48]){0}, 0, 0, NULL, 0, NULL) ==
	             STORAGED_EINVAL,
	         "COMMIT with an incomplete object: EINVAL");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 10, 100, data, 90, NULL) ==
	                 STORAGED_OK &&
	             sc_raw(SC_ALPHA, STORAGED_OP_COMMIT, (char[48]){0}, 0, 0, NULL, 0, NULL) ==
	                 STORAGED_OK,
	         "finished, it commits");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 0, STORAGED_OBJECT_MAX + 1ull, data, 1,
	                NULL) == STORAGED_ETOOBIG,
	         "an object over STORAGED_OBJECT_MAX: ETOOBIG");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_WRITE, name, 0, sizeof(data), data, sizeof(data),
	                NULL) == STORAGED_EINVAL,
	         "a chunk over STORAGED_CHUNK_MAX: EINVAL");
	uint64_t size = 0;
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_READ, name, 101, 10, NULL, 0, &size) ==
	             STORAGED_EINVAL,
	         "READ past the end: EINVAL");
	sc_check(sc_raw(SC_ALPHA, STORAGED_OP_READ, name, 100, 10, NULL, 0, &size) == STORAGED_OK &&
	             size == 100,
	         "READ at the end: no bytes, size 100");
	sc_check(storaged_abort(SC_ALPHA) == STORAGED_OK, "abort");
}

void sc_api_refusals(void)
{
	names();
	channel_rules();
	chunks();
}
