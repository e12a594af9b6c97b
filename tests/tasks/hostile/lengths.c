/*
 * Huge and wrapping lengths with valid pointers, and messages over the
 * 64 KiB limit or over the receiver's buffer. Meaningful both booted and
 * hosted: the hosted shim must give the same answers as the kernel.
 */
#include <string.h>

#include "hostile.h"

#define HUGE_47 (1ull << 47)

static uint8_t big[KEEL_MSG_MAX + 8192] __attribute__((aligned(4096)));

/* A length that makes ptr + len wrap past the top of the address space. */
static size_t wrapping_len(const void *p)
{
	return (size_t)0 - (size_t)(uintptr_t)p + 16;
}

static void log_and_random(void)
{
	char msg[32] = "x";
	static const char *names[] = { "SIZE_MAX", "1<<47", "MAX+1", "wrapping" };
	size_t log_lens[] = { SIZE_MAX, HUGE_47, KEEL_LOG_MAX + 1, wrapping_len(msg) };
	size_t rnd_lens[] = { SIZE_MAX, HUGE_47, KEEL_RANDOM_MAX + 1, wrapping_len(msg) };
	char what[64];

	for (int i = 0; i < 4; i++) {
		strcpy(what, "log length ");
		strcat(what, names[i]);
		tcheck_eq(what, keel_log(msg, log_lens[i]), KEEL_EINVAL);
		strcpy(what, "random length ");
		strcat(what, names[i]);
		tcheck_eq(what, keel_random(msg, rnd_lens[i]), KEEL_EINVAL);
	}
	memset(big, '.', KEEL_LOG_MAX);
	big[KEEL_LOG_MAX - 1] = '\n';
	tcheck_eq("log length KEEL_LOG_MAX works", keel_log((const char *)big, KEEL_LOG_MAX),
		  KEEL_LOG_MAX);
	tcheck_eq("random length KEEL_RANDOM_MAX works", keel_random(big, KEEL_RANDOM_MAX),
		  KEEL_RANDOM_MAX);
}

static void map_and_unmap(void)
{
	long err;
	uint8_t *p;

	tcheck_true("mem_map SIZE_MAX fails", keel_mem_map(SIZE_MAX, KEEL_PROT_READ, &err) == NULL);
	tcheck_eq("mem_map SIZE_MAX error (over the limit: docs/abi.md)", err, KEEL_ENOMEM);
	tcheck_true("mem_map 1<<47 fails", keel_mem_map(HUGE_47, KEEL_PROT_READ, &err) == NULL);
	tcheck_eq("mem_map 1<<47 error (over the limit: docs/abi.md)", err, KEEL_ENOMEM);
	tcheck_true("mem_map 0 fails", keel_mem_map(0, KEEL_PROT_READ, &err) == NULL);
	tcheck_eq("mem_map 0 error", err, KEEL_EINVAL);
	tcheck_true("mem_map W|X fails",
		    keel_mem_map(4096, KEEL_PROT_WRITE | KEEL_PROT_EXEC, &err) == NULL);
	tcheck_eq("mem_map W|X error (W^X)", err, KEEL_EINVAL);
	tcheck_true("mem_map unknown prot bit fails", keel_mem_map(4096, 0x80, &err) == NULL);
	tcheck_eq("mem_map unknown prot bit error", err, KEEL_EINVAL);

	p = keel_mem_map(8192, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	if (!tcheck_true("mem_map 8 KiB works", p != NULL))
		return;
	p[0] = 1;
	tcheck_eq("mem_unmap length SIZE_MAX", keel_mem_unmap(p, SIZE_MAX), KEEL_EINVAL);
	tcheck_eq("mem_unmap wrapping length", keel_mem_unmap(p, wrapping_len(p)), KEEL_EINVAL);
	tcheck_eq("mem_unmap length 1<<47", keel_mem_unmap(p, HUGE_47), KEEL_EINVAL);
	tcheck_eq("mem_unmap length 0", keel_mem_unmap(p, 0), KEEL_EINVAL);
	tcheck_eq("mem_unmap unaligned address", keel_mem_unmap(p + 1, 4096), KEEL_EINVAL);
	p[8191] = 2; /* still mapped after all the refusals */
	tcheck_eq("mem_unmap the real mapping", keel_mem_unmap(p, 8192), 0);
}

static void chan_and_wait(void)
{
	uint8_t rsp[64];
	keel_handle_t hs[KEEL_MAX_HANDLES + 1];
	static const char *names[] = { "SIZE_MAX", "1<<47", "KEEL_MSG_MAX+1", "wrapping" };
	size_t lens[] = { SIZE_MAX, HUGE_47, KEEL_MSG_MAX + 1, wrapping_len(big) };
	char what[64];

	memset(big, 0, sizeof(struct keel_msg));
	for (int i = 0; i < 4; i++) {
		strcpy(what, "chan_call request length ");
		strcat(what, names[i]);
		tcheck_eq(what, keel_chan_call(HOSTILE_VICTIM_SLOT, big, lens[i], rsp, sizeof(rsp)),
			  KEEL_ETOOBIG);
	}
	for (size_t i = 0; i <= KEEL_MAX_HANDLES; i++)
		hs[i] = HOSTILE_VICTIM_SLOT;
	tcheck_eq("wait count SIZE_MAX", keel_wait(hs, SIZE_MAX, KEEL_WAIT_POLL), KEEL_EINVAL);
	tcheck_eq("wait count 1<<47", keel_wait(hs, HUGE_47, KEEL_WAIT_POLL), KEEL_EINVAL);
	tcheck_eq("wait count KEEL_MAX_HANDLES+1", keel_wait(hs, KEEL_MAX_HANDLES + 1, KEEL_WAIT_POLL),
		  KEEL_EINVAL);
}

static void still_works(void)
{
	struct keel_msg ping = { KEEL_OP_PING, 0 };
	uint8_t rsp[64];

	tcheck_eq("victim still answers a ping",
		  keel_chan_call(HOSTILE_VICTIM_SLOT, &ping, sizeof(ping), rsp, sizeof(rsp)),
		  (long)sizeof(ping));
	tcheck_eq("still able to log", keel_log("still alive\n", 12), 12);
}

void mode_huge_lengths(void)
{
	log_and_random();
	map_and_unmap();
	chan_and_wait();
	still_works();
}

void mode_oversize_msg(void)
{
	struct keel_msg *m = (struct keel_msg *)big;
	uint8_t small[64];
	long r;

	for (size_t i = sizeof(*m); i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	m->op = VICTIM_OP_ECHO;
	m->len = KEEL_MSG_MAX_PAYLOAD;
	r = keel_chan_call(HOSTILE_VICTIM_SLOT, big, KEEL_MSG_MAX, small, sizeof(small));
	tcheck_eq("64 KiB echo into a 64-byte reply buffer fails (no truncation)", r, KEEL_ETOOBIG);
	m->len = KEEL_MSG_MAX_PAYLOAD + 1;
	r = keel_chan_call(HOSTILE_VICTIM_SLOT, big, KEEL_MSG_MAX + 1, big, sizeof(big));
	tcheck_eq("request of KEEL_MSG_MAX+1 bytes", r, KEEL_ETOOBIG);
	m->len = KEEL_MSG_MAX_PAYLOAD + 4096;
	r = keel_chan_call(HOSTILE_VICTIM_SLOT, big, KEEL_MSG_MAX + 4096, big, sizeof(big));
	tcheck_eq("request of KEEL_MSG_MAX+4096 bytes", r, KEEL_ETOOBIG);

	/* Exactly at the limit both ways works and comes back byte for byte. */
	m->op = VICTIM_OP_ECHO;
	m->len = KEEL_MSG_MAX_PAYLOAD;
	for (size_t i = sizeof(*m); i < KEEL_MSG_MAX; i++)
		big[i] = (uint8_t)(i * 7);
	r = keel_chan_call(HOSTILE_VICTIM_SLOT, big, KEEL_MSG_MAX, big, KEEL_MSG_MAX);
	tcheck_eq("64 KiB echo at the limit", r, (long)KEEL_MSG_MAX);
	r = 0;
	for (size_t i = sizeof(*m); i < KEEL_MSG_MAX; i++)
		r += big[i] != (uint8_t)(i * 7);
	tcheck_eq("64 KiB echo bytes differing", r, 0);
	still_works();
}
