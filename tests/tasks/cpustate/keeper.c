/*
 * The keeper and the spinners: the tasks whose CPU state must come
 * through untouched. The keeper: It
 * sets its own MXCSR and x87 control word, makes every syscall with its
 * own AC and DF set (a ring-3 task may keep them), serves the hostiles
 * (slots 1..peers; calls each back on CS_CALLBACK_BASE + slot) and after
 * every syscall compares what it sees with what it set. One check line per
 * kind of state at the end, naming the first wrong value. A spinner makes
 * the same checks between stretches of spinning with AC and DF set.
 */
#include <string.h>

#include "cpustate.h"

#define MAX_PEERS 16u
#define OWN_FLAGS (CS_RFLAGS_AC | CS_RFLAGS_DF)
#define FOREIGN_FLAGS (CS_RFLAGS_NT | CS_RFLAGS_IOPL | CS_RFLAGS_TF)

struct tally {
	const char *what;
	unsigned long seen, bad;
	uint64_t first_bad, want;
};

static struct {
	struct tally own_flags, foreign, mxcsr, fcw, sel, fs;
	uint64_t fs0;
	unsigned long syscalls;
} k = {
    .own_flags = {"own AC and DF kept", 0, 0, 0, OWN_FLAGS},
    .foreign = {"no NT, IOPL or TF", 0, 0, 0, 0},
    .mxcsr = {"own MXCSR kept", 0, 0, 0, CS_KEEPER_MXCSR},
    .fcw = {"own x87 control word kept", 0, 0, 0, CS_KEEPER_FCW},
    .sel = {"DS, ES, FS, GS selectors stay null", 0, 0, 0, 0},
    .fs = {"own FS base kept (%fs:0 is our thread pointer)", 0, 0, 0, 0},
};

static void tally(struct tally *t, uint64_t got)
{
	t->seen++;
	if (got != t->want && !t->bad++)
		t->first_bad = got;
}

static void check_state(uint64_t flags_after)
{
	k.syscalls++;
	tally(&k.own_flags, flags_after & OWN_FLAGS);
	tally(&k.foreign, flags_after & FOREIGN_FLAGS);
	tally(&k.mxcsr, cs_mxcsr());
	tally(&k.fcw, cs_fcw());
	tally(&k.sel, cs_selectors());
	tally(&k.fs, cs_fs0());
}

/* A syscall with our own AC and DF set, then every check. */
static long sys(long nr, long a0, long a1, long a2, long a3, long a4)
{
	struct cs_call c = {nr, {a0, a1, a2, a3, a4}, OWN_FLAGS, 0};
	long r = cs_syscall(&c);
	check_state(c.after);
	return r;
}

static void report(const struct tally *t)
{
	struct tline l;
	tl_init(&l, tcheck_prefix);
	tl_str(&l, t->bad ? "FAIL - " : "ok - ");
	tl_str(&l, t->what);
	tl_str(&l, t->bad ? ": " : " (");
	tl_udec(&l, t->bad ? t->bad : t->seen);
	tl_str(&l, t->bad ? " wrong of " : " checks");
	if (t->bad) {
		tl_udec(&l, t->seen);
		tl_str(&l, ", first ");
		tl_hex(&l, t->first_bad);
		tl_str(&l, ", want ");
		tl_hex(&l, t->want);
	} else {
		tl_str(&l, ")");
	}
	tl_emit(&l);
	if (t->bad)
		tcheck_failures++;
}

static void serve(keel_handle_t h, const uint8_t *buf, long n)
{
	const struct keel_msg *m = (const struct keel_msg *)buf;
	struct keel_msg r = {CS_OP_PING, 0}, ping = {CS_OP_PING, 0};
	uint8_t rsp[64];
	long rc;

	if (n < (long)sizeof(*m))
		return;
	r.op = m->op;
	rc = sys(KEEL_SYS_CHAN_REPLY, h, (long)&r, sizeof(r), 0, 0);
	if (rc < 0)
		tcheck_eq("reply to a hostile", rc, 0);
	if (m->op != CS_OP_CALL_ME)
		return;
	/* The hostile replies with its flag set (or, tf-reply, dies right after). */
	rc = sys(KEEL_SYS_CHAN_CALL, CS_CALLBACK_BASE + h, (long)&ping, sizeof(ping), (long)rsp,
	         sizeof(rsp));
	if (rc != (long)sizeof(struct keel_msg)) {
		struct tline l;
		tl_init(&l, tcheck_prefix);
		tl_str(&l, "FAIL - callback on slot ");
		tl_udec(&l, CS_CALLBACK_BASE + h);
		tl_str(&l, " answered ");
		tl_dec(&l, rc);
		tl_emit(&l);
		tcheck_failures++;
	}
}

static void report_all(void)
{
	report(&k.own_flags);
	report(&k.foreign);
	report(&k.mxcsr);
	report(&k.fcw);
	report(&k.sel);
	report(&k.fs);
}

static void own_state(void)
{
	cs_set_mxcsr(CS_KEEPER_MXCSR);
	cs_set_fcw(CS_KEEPER_FCW);
	k.fs0 = k.fs.want = cs_fs0();
}

#define SPIN_CHUNK 200000ull

int cs_spinner(unsigned ms)
{
	int64_t t0, now;
	own_state();
	t0 = now = keel_time(KEEL_CLOCK_MONOTONIC);
	while (now >= 0 && now - t0 < (int64_t)ms * 1000000) {
		check_state(cs_spin_with(OWN_FLAGS, SPIN_CHUNK));
		now = keel_time(KEEL_CLOCK_MONOTONIC);
	}
	report_all();
	tcheck_finish();
}

int cs_keeper(unsigned peers)
{
	static uint8_t buf[256];
	keel_handle_t live[MAX_PEERS];
	size_t nlive = 0;
	int errors = 0;

	if (peers == 0 || peers > MAX_PEERS) {
		tlog(tcheck_prefix, "FAIL - argv[2] must be the number of peers (1..16)");
		return 1;
	}
	own_state();
	for (unsigned i = 0; i < peers; i++)
		live[nlive++] = i + 1;
	while (nlive > 0 && errors < 1000) {
		long idx =
		    sys(KEEL_SYS_WAIT, (long)live, (long)nlive, (long)KEEL_WAIT_FOREVER, 0, 0);
		if (idx < 0 || (size_t)idx >= nlive) {
			errors++;
			continue;
		}
		keel_handle_t h = live[idx];
		long n = sys(KEEL_SYS_CHAN_RECV, h, (long)buf, sizeof(buf), 0, 0);
		if (n == KEEL_EPEERCLOSED) {
			sys(KEEL_SYS_HANDLE_CLOSE, h, 0, 0, 0, 0);
			memmove(&live[idx], &live[idx + 1],
			        (nlive - (size_t)idx - 1) * sizeof(live[0]));
			nlive--;
			continue;
		}
		if (n < 0) {
			errors++;
			continue;
		}
		serve(h, buf, n);
		sys(KEEL_SYS_YIELD, 0, 0, 0, 0, 0);
	}
	/* The last hostiles may still be dying: a few more rounds while others run. */
	for (int i = 0; i < 20; i++)
		sys(KEEL_SYS_YIELD, 0, 0, 0, 0, 0);
	tcheck_eq("every peer served or gone, errors", errors, 0);
	report_all();
	tcheck_finish();
}
