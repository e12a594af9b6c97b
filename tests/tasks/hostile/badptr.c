/*
 * Bad pointers to every syscall that takes one: NULL, kernel text, the
 * direct map, non-canonical addresses, a page that was unmapped, a range
 * that runs off the end of a mapping, and read-only memory where the
 * kernel must write. Each call must fail with KEEL_EFAULT (the kernel
 * reaches user memory only through a checked copy, docs/decisions.md D2)
 * and the task must go on. Booted only: hosted, Linux's own checks answer.
 */
#include <string.h>

#include "hostile.h"

#define NPTRS 8

struct bad {
	const char *name;
	uint64_t addr;
	int in_range; /* part of a valid mapping or near one: not for mem_unmap */
};

static struct bad bad[NPTRS + 2];
static int nbad, nbad_write; /* [0, nbad): bad for reads; [0, nbad_write): bad for writes */
static uint8_t buf[8192];

static void name_of(char *out, const char *call, const char *ptr)
{
	strcpy(out, call);
	strcat(out, " with ");
	strcat(out, ptr);
}

/* Two pages mapped, the second unmapped again: [page, page+4096) is valid, the rest is not. */
static uint8_t *edge_page(void)
{
	long err;
	uint8_t *p = keel_mem_map(8192, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);

	if (!p || keel_mem_unmap(p + 4096, 4096) != 0)
		return NULL;
	return p;
}

static void setup(void)
{
	uint8_t *edge = edge_page();
	long err;
	uint8_t *ro = keel_mem_map(4096, KEEL_PROT_READ, &err);

	tcheck_true("mem_map/unmap for the edge page", edge != NULL);
	tcheck_true("mem_map read-only page", ro != NULL);
	bad[nbad++] = (struct bad){ "NULL", 0, 0 };
	bad[nbad++] = (struct bad){ "kernel text", HOSTILE_KERNEL_TEXT, 0 };
	bad[nbad++] = (struct bad){ "direct map", HOSTILE_DIRECT_MAP, 0 };
	bad[nbad++] = (struct bad){ "non-canonical 1<<47", HOSTILE_NONCANON_LOW, 0 };
	bad[nbad++] = (struct bad){ "non-canonical 1<<63", HOSTILE_NONCANON_HIGH, 0 };
	bad[nbad++] = (struct bad){ "range into non-canonical", HOSTILE_NONCANON_LOW - 8, 1 };
	if (edge) {
		bad[nbad++] = (struct bad){ "unmapped page", (uint64_t)(uintptr_t)(edge + 4096), 0 };
		bad[nbad++] = (struct bad){ "range past a mapping", (uint64_t)(uintptr_t)(edge + 4092), 1 };
	}
	nbad_write = nbad;
	bad[nbad_write++] = (struct bad){ "own code (read-only)", (uint64_t)(uintptr_t)&setup, 0 };
	if (ro)
		bad[nbad_write++] = (struct bad){ "read-only mapping", (uint64_t)(uintptr_t)ro, 0 };
}

static void simple_calls(void)
{
	char what[96];
	struct keel_msg req = { KEEL_OP_PING, 0 };
	keel_handle_t h = HOSTILE_VICTIM_SLOT;

	for (int i = 0; i < nbad_write; i++) {
		long p = (long)bad[i].addr;
		if (i < nbad) {
			name_of(what, "log", bad[i].name);
			tcheck_eq(what, keel_syscall6(KEEL_SYS_LOG, p, 16, 0, 0, 0, 0), KEEL_EFAULT);
			name_of(what, "chan_call request", bad[i].name);
			tcheck_eq(what, keel_syscall6(KEEL_SYS_CHAN_CALL, h, p, 16, (long)buf, 64, 0),
				  KEEL_EFAULT);
			name_of(what, "wait handle array", bad[i].name);
			tcheck_eq(what, keel_syscall6(KEEL_SYS_WAIT, p, 2, 0, 0, 0, 0), KEEL_EFAULT);
		}
		name_of(what, "random", bad[i].name);
		tcheck_eq(what, keel_syscall6(KEEL_SYS_RANDOM, p, 16, 0, 0, 0, 0), KEEL_EFAULT);
		name_of(what, "chan_call reply buffer", bad[i].name);
		tcheck_eq(what, keel_syscall6(KEEL_SYS_CHAN_CALL, h, (long)&req, sizeof(req), p, 64, 0),
			  KEEL_EFAULT);
	}
}

static void other_calls(void)
{
	char what[96];

	/* No cap=attest in the manifest: EPERM, before any buffer is looked at. */
	tcheck_eq("attest_report without the capability (valid buffers)",
		  keel_attest_report(buf, buf + 64, 4096), KEEL_EPERM);
	for (int i = 0; i < nbad; i++) {
		long p = (long)bad[i].addr;
		name_of(what, "mem_unmap", bad[i].name);
		if (!bad[i].in_range)
			tcheck_eq(what, keel_syscall6(KEEL_SYS_MEM_UNMAP, p & ~4095l, 4096, 0, 0, 0, 0),
				  KEEL_EINVAL);
		name_of(what, "attest_report data", bad[i].name);
		tcheck_eq(what, keel_syscall6(KEEL_SYS_ATTEST_REPORT, p, (long)buf, 4096, 0, 0, 0),
			  KEEL_EPERM);
		name_of(what, "attest_report out", bad[i].name);
		tcheck_eq(what, keel_syscall6(KEEL_SYS_ATTEST_REPORT, (long)buf, p, 4096, 0, 0, 0),
			  KEEL_EPERM);
	}
	tcheck_eq("set_tls non-canonical", keel_set_tls(HOSTILE_NONCANON_LOW), KEEL_EINVAL);
	tcheck_eq("set_tls non-canonical high", keel_set_tls(HOSTILE_NONCANON_HIGH), KEEL_EINVAL);
	tcheck_eq("set_tls kernel text", keel_set_tls(HOSTILE_KERNEL_TEXT), KEEL_EINVAL);
	tcheck_eq("set_tls direct map", keel_set_tls(HOSTILE_DIRECT_MAP), KEEL_EINVAL);
}

/* Blocks (bounded) until the victim's callback call is pending on our slot 2. */
static int callback_pending(void)
{
	keel_handle_t h = HOSTILE_CALLBACK_SLOT;

	return keel_wait(&h, 1, 10ull * 1000 * 1000 * 1000) == 0;
}

static void recv_calls(void)
{
	char what[96];
	uint8_t rsp[64];
	long r;

	r = hostile_victim_call(VICTIM_OP_CALL_ME, NULL, 0, rsp, sizeof(rsp));
	tcheck_eq("victim accepts CALL_ME", r, (long)sizeof(struct keel_msg));
	for (int i = 0; i < nbad_write; i++) {
		name_of(what, "chan_recv", bad[i].name);
		if (!tcheck_true("victim's callback pending", callback_pending()))
			return;
		tcheck_eq(what, keel_syscall6(KEEL_SYS_CHAN_RECV, HOSTILE_CALLBACK_SLOT,
					      (long)bad[i].addr, 64, 0, 0, 0), KEEL_EFAULT);
	}
	tcheck_true("victim's callback pending", callback_pending());
	tcheck_eq("chan_recv of the callback", keel_chan_recv(HOSTILE_CALLBACK_SLOT, buf, 64),
		  (long)sizeof(struct keel_msg));
}

/* Answers DONE, receiving again if a failed reply consumed the victim's call. */
static int reply_done(void)
{
	struct keel_msg done = { VICTIM_OP_DONE, 0 };

	for (int attempt = 0; attempt < 3; attempt++) {
		if (keel_chan_reply(HOSTILE_CALLBACK_SLOT, &done, sizeof(done)) == 0)
			return 1;
		if (!callback_pending() || keel_chan_recv(HOSTILE_CALLBACK_SLOT, buf, 64) < 0)
			return 0;
	}
	return 0;
}

/* A reply refused for its size is no longer owed (docs/abi.md): receive the retried call. */
static void oversize_reply(const char *what, size_t len)
{
	tcheck_eq(what, keel_syscall6(KEEL_SYS_CHAN_REPLY, HOSTILE_CALLBACK_SLOT, (long)buf,
				      (long)len, 0, 0, 0), KEEL_ETOOBIG);
	tcheck_eq("chan_reply after that: no reply owed any more",
		  keel_chan_reply(HOSTILE_CALLBACK_SLOT, buf, 8), KEEL_EINVAL);
	tcheck_true("the victim calls again", callback_pending());
	tcheck_eq("chan_recv of the retried callback",
		  keel_chan_recv(HOSTILE_CALLBACK_SLOT, buf, 64), (long)sizeof(struct keel_msg));
}

static void reply_calls(void)
{
	char what[96];
	long h = HOSTILE_CALLBACK_SLOT;

	for (int i = 0; i < nbad; i++) {
		name_of(what, "chan_reply", bad[i].name);
		tcheck_eq(what, keel_syscall6(KEEL_SYS_CHAN_REPLY, h, (long)bad[i].addr, 16, 0, 0, 0),
			  KEEL_EFAULT);
	}
	memset(buf, 0, sizeof(struct keel_msg));
	oversize_reply("chan_reply length SIZE_MAX", SIZE_MAX);
	oversize_reply("chan_reply length KEEL_MSG_MAX+1", KEEL_MSG_MAX + 1);
	/* The victim calls with a 64-byte reply buffer: 4 KiB must not fit (D4). */
	oversize_reply("chan_reply larger than the caller's buffer", 4096);
	tcheck_true("reply DONE to the victim's callback", reply_done());
}

void mode_bad_pointers(void)
{
	struct keel_msg ping = { KEEL_OP_PING, 0 };
	uint8_t rsp[64];

	setup();
	simple_calls();
	other_calls();
	recv_calls();
	reply_calls();
	tcheck_eq("victim still answers a ping",
		  keel_chan_call(HOSTILE_VICTIM_SLOT, &ping, sizeof(ping), rsp, sizeof(rsp)),
		  (long)sizeof(ping));
	tcheck_eq("still able to log", keel_log("still alive\n", 12), 12);
}
