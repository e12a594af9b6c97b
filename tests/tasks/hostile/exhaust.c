/*
 * Memory exhaustion: map and touch 64 KiB chunks until mem_map says
 * KEEL_ENOMEM (the task's manifest limit), then check that the task still
 * works: it logs, unmaps everything, and maps and uses memory again.
 * The limit must bite well before EXHAUST_MAX_CHUNKS chunks (64 MiB); the
 * test manifests give this task 2 MiB.
 */
#include <string.h>

#include "hostile.h"

#define CHUNK (64u * 1024u)
#define EXHAUST_MAX_CHUNKS 1024u

static uint8_t *chunks[EXHAUST_MAX_CHUNKS];

static unsigned fill_until_enomem(long *last_err)
{
	unsigned n = 0;
	long err = 0;

	while (n < EXHAUST_MAX_CHUNKS) {
		uint8_t *p = keel_mem_map(CHUNK, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
		if (!p)
			break;
		for (unsigned off = 0; off < CHUNK; off += 4096)
			p[off] = (uint8_t)(n + off / 4096); /* touch every page */
		chunks[n++] = p;
	}
	*last_err = err;
	return n;
}

static int chunks_intact(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned off = 0; off < CHUNK; off += 4096)
			if (chunks[i][off] != (uint8_t)(i + off / 4096))
				return 0;
	return 1;
}

void mode_exhaust_mem(void)
{
	long err;
	unsigned n = fill_until_enomem(&err), again;
	struct tline l;
	long bad_unmaps = 0;

	tl_init(&l, tcheck_prefix);
	tl_str(&l, "mapped ");
	tl_udec(&l, (uint64_t)n * CHUNK / 1024);
	tl_str(&l, " KiB before mem_map failed");
	tl_emit(&l);
	tcheck_true("the limit stopped mem_map before 64 MiB", n < EXHAUST_MAX_CHUNKS);
	tcheck_eq("mem_map at the limit returns KEEL_ENOMEM", err, KEEL_ENOMEM);
	tcheck_true("memory mapped before the limit kept its contents", chunks_intact(n));
	tcheck_eq("log works at the limit", keel_log("at the limit\n", 13), 13);
	tcheck_true("a 1-page map also fails at the limit",
		    keel_mem_map(4096, KEEL_PROT_READ | KEEL_PROT_WRITE, &err) == NULL &&
			    err == KEEL_ENOMEM);
	for (unsigned i = 0; i < n; i++)
		bad_unmaps += keel_mem_unmap(chunks[i], CHUNK) != 0;
	tcheck_eq("every chunk unmapped", bad_unmaps, 0);
	again = fill_until_enomem(&err);
	tcheck_true("after unmapping, memory can be mapped again", again > 0);
	tcheck_eq("the second fill reaches the same limit (no leak)", (long)again, (long)n);
	tcheck_true("memory mapped again is usable", chunks_intact(again));
	for (unsigned i = 0; i < again; i++)
		keel_mem_unmap(chunks[i], CHUNK);
}
