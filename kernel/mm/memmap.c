#include "mm/memmap.h"

#define PAGE_SHIFT 12
#define MAX_PFN (1ull << (52 - PAGE_SHIFT))

static void insert_sorted(struct mem_range *out, int n, struct mem_range r)
{
	int i = n;
	while (i > 0 && out[i - 1].start > r.start) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = r;
}

int memmap_ranges(const struct keel_igvm_memmap_entry *e, size_t max, uint64_t floor,
		  struct mem_range *out, size_t cap)
{
	int n = 0;
	floor = (floor + 0xfffull) & ~0xfffull;
	for (size_t i = 0; i < max && e[i].number_of_pages; i++) {
		if (e[i].entry_type != KEEL_IGVM_MEMMAP_MEMORY)
			continue;
		uint64_t first = e[i].starting_gpa_page_number, count = e[i].number_of_pages;
		if (first >= MAX_PFN || count > MAX_PFN - first)
			return -1;
		struct mem_range r = {first << PAGE_SHIFT, (first + count) << PAGE_SHIFT};
		if (r.end <= floor)
			continue;
		if (r.start < floor)
			r.start = floor;
		for (int j = 0; j < n; j++)
			if (r.start < out[j].end && out[j].start < r.end)
				return -1; /* overlapping RAM entries */
		if ((size_t)n >= cap)
			return -1;
		insert_sorted(out, n, r);
		n++;
	}
	return n;
}
