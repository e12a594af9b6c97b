/*
 * Memory exhaustion: map and touch 64 KiB chunks until mem_map says
 * KEEL_ENOMEM (the task's manifest limit), then single pages until that
 * fails too, then check that the task still works: it logs, unmaps
 * everything, and maps and uses the same amount of memory again.
 * The limit must bite before EXHAUST_MAX_MAPS maps (over 512 MiB): booted,
 * the manifest gives this task 2 MiB (hostile-booted.sh checks the printed
 * figure against it); hosted, keel-hosted's RLIMIT_AS is the manifest limit
 * plus a 256 MiB margin for glibc.
 */
#include <string.h>

#include "hostile.h"

#define CHUNK (64u * 1024u)
#define PAGE 4096u
#define EXHAUST_MAX_MAPS 8192u

static struct {
	uint8_t *p;
	uint32_t len;
} maps[2 * EXHAUST_MAX_MAPS];
static unsigned nmaps;

static uint8_t mark(unsigned i, unsigned off)
{
	return (uint8_t)(i * 7 + off / PAGE);
}

/* Maps `len`-byte pieces until mem_map fails; returns its error. */
static long fill(uint32_t len)
{
	long err = 0;

	for (unsigned k = 0; k < EXHAUST_MAX_MAPS; k++) {
		uint8_t *p = keel_mem_map(len, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
		if (!p)
			return err;
		for (unsigned off = 0; off < len; off += PAGE)
			p[off] = mark(nmaps, off); /* touch every page */
		maps[nmaps].p = p;
		maps[nmaps++].len = len;
	}
	return 1; /* never failed: no limit */
}

static uint64_t total(void)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < nmaps; i++)
		t += maps[i].len;
	return t;
}

static int intact(void)
{
	for (unsigned i = 0; i < nmaps; i++)
		for (unsigned off = 0; off < maps[i].len; off += PAGE)
			if (maps[i].p[off] != mark(i, off))
				return 0;
	return 1;
}

static long unmap_all(void)
{
	long bad = 0;

	for (unsigned i = 0; i < nmaps; i++)
		bad += keel_mem_unmap(maps[i].p, maps[i].len) != 0;
	nmaps = 0;
	return bad;
}

void mode_exhaust_mem(void)
{
	long err_chunks = fill(CHUNK), err_pages = fill(PAGE), err;
	uint64_t first = total();
	struct tline l;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, "mapped ");
	tl_udec(&l, first / 1024);
	tl_str(&l, " KiB before mem_map failed");
	tl_emit(&l);
	tcheck_eq("64 KiB maps end with KEEL_ENOMEM", err_chunks, KEEL_ENOMEM);
	tcheck_eq("then 4 KiB maps end with KEEL_ENOMEM", err_pages, KEEL_ENOMEM);
	tcheck_true("memory mapped before the limit kept its contents", intact());
	tcheck_eq("log works at the limit", keel_log("at the limit\n", 13), 13);
	tcheck_true("another page still fails at the limit",
		    keel_mem_map(PAGE, KEEL_PROT_READ | KEEL_PROT_WRITE, &err) == NULL &&
			    err == KEEL_ENOMEM);
	tcheck_eq("every mapping unmapped", unmap_all(), 0);
	fill(CHUNK);
	fill(PAGE);
	tcheck_true("after unmapping, memory can be mapped again", nmaps > 0);
	tcheck_true("the second fill gets at least as much (nothing leaked)", total() >= first);
	tcheck_true("memory mapped again is usable", intact());
	unmap_all();
}
