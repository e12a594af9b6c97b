/*
 * Usable RAM from the multiboot memory map (or, lacking one, from
 * mem_lower/mem_upper), and the IGVM memory map built from it.
 */
#include <string.h>

#include <keel/boot_info.h>

#include "console.h"
#include "ram.h"

#define PAGE 4096ull
#define FOUR_GIB 0x100000000ull

static void ram_add(struct ram_map *map, uint64_t start, uint64_t len)
{
	uint64_t end = start + len;
	uint32_t i;

	if (len == 0 || end < start)
		return;
	start = (start + PAGE - 1) & ~(PAGE - 1);
	end &= ~(PAGE - 1);
	if (end <= start)
		return;
	if (map->count == RAM_MAX_RANGES)
		shim_fail("multiboot memory map has more than %u usable ranges", RAM_MAX_RANGES);
	/* Keep the list sorted by start: insertion. */
	for (i = map->count; i > 0 && map->r[i - 1].start > start; i--)
		map->r[i] = map->r[i - 1];
	map->r[i].start = start;
	map->r[i].end = end;
	map->count++;
}

/* Merges overlapping or touching ranges of the sorted list. */
static void ram_merge(struct ram_map *map)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < map->count; i++) {
		if (out && map->r[i].start <= map->r[out - 1].end) {
			if (map->r[i].end > map->r[out - 1].end)
				map->r[out - 1].end = map->r[i].end;
			continue;
		}
		map->r[out++] = map->r[i];
	}
	map->count = out;
}

void ram_from_multiboot(struct ram_map *map, const struct multiboot_info *mbi)
{
	memset(map, 0, sizeof(*map));
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP) {
		uint32_t off = 0;

		while (off + 4 <= mbi->mmap_length) {
			const struct multiboot_mmap_entry *e =
			    (const void *)(uintptr_t)(mbi->mmap_addr + off);

			if (e->size < 20 || off + 4 + e->size > mbi->mmap_length)
				shim_fail("multiboot memory map entry at +%u: bad size %u", off,
				          e->size);
			if (e->type == MULTIBOOT_MEMORY_AVAILABLE)
				ram_add(map, e->addr, e->len);
			off += e->size + 4;
		}
	} else if (mbi->flags & MULTIBOOT_INFO_MEMORY) {
		ram_add(map, 0, (uint64_t)mbi->mem_lower * 1024);
		ram_add(map, 0x100000, (uint64_t)mbi->mem_upper * 1024);
	} else {
		shim_fail("multiboot info has no memory map");
	}
	ram_merge(map);
	if (map->count == 0)
		shim_fail("multiboot memory map lists no usable RAM");
}

int ram_contains(const struct ram_map *map, uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < map->count; i++) {
		if (start >= map->r[i].start && end <= map->r[i].end)
			return 1;
	}
	return 0;
}

uint64_t ram_find(const struct ram_map *map, uint64_t min, uint64_t size, uint64_t align)
{
	for (uint32_t i = 0; i < map->count; i++) {
		uint64_t at = map->r[i].start > min ? map->r[i].start : min;

		at = (at + align - 1) & ~(align - 1);
		if (at + size <= map->r[i].end && at + size <= FOUR_GIB && at + size >= at)
			return at;
	}
	return 0;
}

uint32_t ram_to_igvm(const struct ram_map *map, void *out, uint32_t size)
{
	struct keel_igvm_memmap_entry e;
	uint32_t max = size / sizeof(e), n = 0;

	memset(out, 0, size);
	if (max == 0)
		return 0;
	for (uint32_t i = 0; i < map->count && n + 1 < max; i++, n++) {
		memset(&e, 0, sizeof(e));
		e.starting_gpa_page_number = map->r[i].start / PAGE;
		e.number_of_pages = (map->r[i].end - map->r[i].start) / PAGE;
		e.entry_type = KEEL_IGVM_MEMMAP_MEMORY;
		memcpy((uint8_t *)out + n * sizeof(e), &e, sizeof(e));
	}
	return n;
}
