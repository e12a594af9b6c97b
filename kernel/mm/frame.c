#include "lib/kstring.h"
#include "mm/frame.h"
#include "mm/phys.h"

#define MAX_RANGES 32

/*
 * Each range's untouched part is [bump, top). Single frames come from the
 * top down and contiguous runs from the bottom up: two pages a task maps
 * one after the other are never physically adjacent in ascending order
 * (the page above a task page is the one allocated before it), so a copy
 * that runs across a page boundary in physical instead of virtual order
 * reads the wrong page in every boot, not only in a unit test
 * (docs/testing.md, "Task memory"). One policy, always: no test-only path.
 */
static struct mem_range ranges[MAX_RANGES];
static uint64_t bump[MAX_RANGES]; /* lowest untouched frame in each range */
static uint64_t top[MAX_RANGES];  /* end of the untouched part */
static size_t nranges;
static uint64_t free_head; /* physical address of the first free frame, 0 = none */
static size_t nfree_listed;

void frame_init(const struct mem_range *r, size_t n)
{
	nranges = n < MAX_RANGES ? n : MAX_RANGES;
	for (size_t i = 0; i < nranges; i++) {
		ranges[i] = r[i];
		bump[i] = r[i].start;
		top[i] = r[i].start + (r[i].end - r[i].start) / PAGE_SIZE * PAGE_SIZE;
	}
	free_head = 0;
	nfree_listed = 0;
}

uint64_t frame_alloc(void)
{
	uint64_t pa = 0;
	if (free_head) {
		pa = free_head;
		free_head = *(uint64_t *)phys_to_virt(pa);
		nfree_listed--;
	} else {
		for (size_t i = 0; i < nranges && !pa; i++) {
			if (bump[i] + PAGE_SIZE <= top[i]) {
				top[i] -= PAGE_SIZE;
				pa = top[i];
			}
		}
	}
	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

uint64_t frame_alloc_contig(size_t n)
{
	for (size_t i = 0; i < nranges; i++) {
		if (n && top[i] - bump[i] >= n * PAGE_SIZE) {
			uint64_t pa = bump[i];
			bump[i] += n * PAGE_SIZE;
			memset(phys_to_virt(pa), 0, n * PAGE_SIZE);
			return pa;
		}
	}
	return 0;
}

void frame_free(uint64_t pa)
{
	if (!pa)
		return;
	*(uint64_t *)phys_to_virt(pa) = free_head;
	free_head = pa;
	nfree_listed++;
}

size_t frame_free_count(void)
{
	size_t n = nfree_listed;
	for (size_t i = 0; i < nranges; i++)
		n += (top[i] - bump[i]) / PAGE_SIZE;
	return n;
}
