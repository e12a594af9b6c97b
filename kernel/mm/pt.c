#include <stddef.h>

#include <keel/errors.h>

#include "mm/frame.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "platform/platform.h"

static uint64_t *table(uint64_t pa)
{
	return (uint64_t *)phys_to_virt(pa & PTE_ADDR);
}

static unsigned idx(uint64_t va, int level)
{
	return (unsigned)((va >> (12 + 9 * level)) & 511);
}

/* The table at `level` (0 = PT) covering va, creating it if `create`. */
static uint64_t *walk_to(uint64_t root, uint64_t va, int level, int create)
{
	uint64_t *t = table(root);
	uint64_t inter = PTE_P | PTE_W | (va < USER_TOP ? PTE_U : 0);
	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[idx(va, l)];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t pa = frame_alloc();
			if (!pa)
				return NULL;
			*e = pa | inter;
		} else if (*e & PTE_PS) {
			return NULL;
		}
		t = table(*e);
	}
	return t;
}

int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *t = walk_to(root, va, 0, 1);
	if (!t)
		return KEEL_ENOMEM;
	uint64_t *e = &t[idx(va, 0)];
	if (*e & PTE_P)
		return KEEL_EINVAL;
	*e = (pa & PTE_ADDR) | flags | PTE_P;
	return 0;
}

int pt_map_2m(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *t = walk_to(root, va, 1, 1);
	if (!t)
		return KEEL_ENOMEM;
	uint64_t *e = &t[idx(va, 1)];
	if (*e & PTE_P)
		return KEEL_EINVAL;
	*e = (pa & PTE_ADDR) | flags | PTE_P | PTE_PS;
	return 0;
}

uint64_t pt_shrink_gen;

uint64_t pt_unmap(uint64_t root, uint64_t va)
{
	pt_shrink_gen++;
	uint64_t *t = walk_to(root, va, 0, 0);
	if (!t)
		return 0;
	uint64_t old = t[idx(va, 0)];
	t[idx(va, 0)] = 0;
	return old;
}

uint64_t pt_get(uint64_t root, uint64_t va)
{
	uint64_t *t = walk_to(root, va, 0, 0);
	return t ? t[idx(va, 0)] : 0;
}

/*
 * The leaf rule of pt_translate_user, folded so a whole run of PTEs is
 * one AND: a read accepts PTE_BUNDLE as PTE_OWNED (bit 52 moved to bit 9).
 */
static inline uint64_t leaf_bits(uint64_t e, int write)
{
	return write ? e : e | ((e >> 43) & PTE_OWNED);
}

/*
 * The leaf rule on folded bits: the access bits, and RAM the task owns. A
 * device window (mmio_map) is not RAM, not in the direct map: refused.
 */
static inline int leaf_ok(uint64_t folded, uint64_t need)
{
	return (folded & (need | PTE_OWNED)) == (need | PTE_OWNED);
}

/*
 * A large page (PS) met at level l (2: 1 GiB, 1: 2 MiB) covering va:
 * checked as a leaf; 0 with *pa va's physical address and *next the
 * first address past the page, or -1.
 */
static __attribute__((noinline)) int large_page(uint64_t e, uint64_t va, int l, int write, uint64_t *pa,
						uint64_t *next)
{
	uint64_t span = 1ull << (12 + 9 * l);
	if (!leaf_ok(leaf_bits(e, write), PTE_P | PTE_U | (write ? PTE_W : 0)))
		return -1;
	*pa = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
	*next = (va | (span - 1)) + 1;
	return 0;
}

/* AND of the folded leaf entries t[i..last]: a run of pages checked at one instruction each. */
static inline uint64_t leaf_and(const uint64_t *t, unsigned i, unsigned last, int write)
{
	uint64_t acc = ~0ull;
	if (write)
		for (; i <= last; i++)
			acc &= t[i];
	else
		for (; i <= last; i++)
			acc &= leaf_bits(t[i], 0);
	return acc;
}

/*
 * pt_translate_user's rule for every page of [va, va+n) (n > 0, the range
 * in the user half): one descent per 2 MiB, then one AND per 4 KiB page.
 * *pa = the physical address of va. 0 or -1.
 */
int pt_check_user_range(uint64_t root, uint64_t va, uint64_t n, int write, uint64_t *pa)
{
	const uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	const uint64_t end = va + n, start = va;
	while (va < end) {
		uint64_t e = table(root)[idx(va, 3)], a, next;
		int l = 2;
		if ((e & need) != need || (e & PTE_PS))
			return -1; /* PS is reserved in a PML4 entry */
		e = table(e)[idx(va, 2)];
		if ((e & need) != need)
			return -1;
		if (!(e & PTE_PS)) {
			e = table(e)[idx(va, 1)];
			if ((e & need) != need)
				return -1;
			l = 1;
		}
		if (e & PTE_PS) {
			if (large_page(e, va, l, write, &a, &next))
				return -1;
			if (va == start)
				*pa = a;
			va = next;
			continue;
		}
		const uint64_t *t = table(e);
		next = (va | (PT_SPAN - 1)) + 1;
		if (next > end)
			next = end;
		unsigned i = idx(va, 0);
		if (va == start)
			*pa = (t[i] & PTE_ADDR) | (va & (PAGE_SIZE - 1));
		if (!leaf_ok(leaf_and(t, i, idx(next - 1, 0), write), need))
			return -1;
		va = next;
	}
	return 0;
}

/* The same rule as pt_check_user_range for one address, unrolled: every copy's per-page step. */
int pt_translate_user(uint64_t root, uint64_t va, int write, uint64_t *pa)
{
	const uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
	uint64_t e, next;
	if (va >= USER_TOP)
		return -1;
	e = table(root)[idx(va, 3)];
	if ((e & need) != need || (e & PTE_PS))
		return -1;
	e = table(e)[idx(va, 2)];
	if ((e & need) != need)
		return -1;
	if (e & PTE_PS)
		return large_page(e, va, 2, write, pa, &next);
	e = table(e)[idx(va, 1)];
	if ((e & need) != need)
		return -1;
	if (e & PTE_PS)
		return large_page(e, va, 1, write, pa, &next);
	e = table(e)[idx(va, 0)];
	if (!leaf_ok(leaf_bits(e, write), need))
		return -1;
	*pa = (e & PTE_ADDR) | (va & (PAGE_SIZE - 1));
	return 0;
}

uint64_t pt_tables_missing(uint64_t root, uint64_t va, uint64_t pages)
{
	uint64_t n = 0, end = va + pages * PAGE_SIZE;
	for (int level = 2; level >= 0; level--) { /* PDPT, PD, PT */
		uint64_t span = PT_SPAN << (9 * level);
		for (uint64_t a = va & ~(span - 1); a < end; a += span)
			n += !walk_to(root, a, level, 0);
	}
	return n;
}

static int table_empty(const uint64_t *t)
{
	for (unsigned i = 0; i < 512; i++)
		if (t[i])
			return 0;
	return 1;
}

uint64_t pt_prune_user(uint64_t root, uint64_t va)
{
	pt_shrink_gen++;
	uint64_t *t[4], *up[4], n = 0; /* t[l]: the table at level l; up[l]: its entry one level up */
	int low = 3;
	if (va >= USER_TOP)
		return 0; /* kernel-half tables are shared by every address space */
	t[3] = table(root);
	while (low > 0) {
		uint64_t *e = &t[low][idx(va, low)];
		if (!(*e & PTE_P) || (*e & PTE_PS))
			break;
		up[low - 1] = e;
		t[low - 1] = table(*e);
		low--;
	}
	for (int l = low; l < 3 && table_empty(t[l]); l++) {
		frame_free(*up[l] & PTE_ADDR);
		*up[l] = 0;
		n++;
	}
	return n;
}

static uint64_t highest(uint64_t pa, int level, uint64_t base, uint64_t lo, uint64_t hi)
{
	uint64_t *t = table(pa), span = PAGE_SIZE << (9 * level);
	for (int i = 511; i >= 0; i--) {
		uint64_t start = base + (uint64_t)i * span, e = t[i];
		if (start >= hi || start + span <= lo || !(e & PTE_P))
			continue;
		if (level == 0 || (e & PTE_PS))
			return (start + span < hi ? start + span : hi) - PAGE_SIZE;
		uint64_t r = highest(e & PTE_ADDR, level - 1, start, lo, hi);
		if (r)
			return r;
	}
	return 0;
}

uint64_t pt_highest_user(uint64_t root, uint64_t lo, uint64_t hi)
{
	return highest(root, 3, 0, lo, hi < USER_TOP ? hi : USER_TOP);
}

static void destroy_level(uint64_t pa, int level)
{
	uint64_t *t = table(pa);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t e = t[i];
		if (!(e & PTE_P))
			continue;
		if (level == 0 || (e & PTE_PS)) {
			if ((e & PTE_DMA) && platform_dma_unshare(e & PTE_ADDR, 1))
				continue; /* its state is unknown: leak it rather than reuse it */
			if (e & PTE_OWNED)
				frame_free(e & PTE_ADDR);
		} else {
			destroy_level(e & PTE_ADDR, level - 1);
		}
	}
	frame_free(pa);
}

void pt_destroy_user(uint64_t root)
{
	pt_shrink_gen++;
	uint64_t *t = table(root);
	for (unsigned i = 0; i < 256; i++)
		if (t[i] & PTE_P)
			destroy_level(t[i] & PTE_ADDR, 2);
	frame_free(root);
}
