#include "lib/kstring.h"
#include "mm/frame.h"
#include "mm/phys.h"

#define MAX_RANGES 32

static struct mem_range ranges[MAX_RANGES];
static uint64_t bump[MAX_RANGES]; /* next untouched frame in each range */
static size_t nranges;
static uint64_t free_head; /* physical address of the first free frame, 0 = none */
static size_t nfree_listed;

void frame_init(const struct mem_range *r, size_t n)
{
	nranges = n < MAX_RANGES ? n : MAX_RANGES;
	for (size_t i = 0; i < nranges; i++) {
		ranges[i] = r[i];
		bump[i] = r[i].start;
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
			if (bump[i] + PAGE_SIZE <= ranges[i].end) {
				pa = bump[i];
				bump[i] += PAGE_SIZE;
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
		if (n && ranges[i].end - bump[i] >= n * PAGE_SIZE) {
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
		n += (ranges[i].end - bump[i]) / PAGE_SIZE;
	return n;
}
