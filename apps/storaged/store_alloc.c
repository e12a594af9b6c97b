/*
 * Free space (docs/storage-format.md, "Free space"): bitmaps in memory
 * only, built by walking the tree at open; next-fit allocation.
 */
#include "store_int.h"

int store_bit(const uint8_t *map, uint64_t block)
{
	return (map[block >> 3] >> (block & 7)) & 1;
}

void store_bit_set(uint8_t *map, uint64_t block)
{
	map[block >> 3] |= (uint8_t)(1u << (block & 7));
}

void store_bit_clear(uint8_t *map, uint64_t block)
{
	map[block >> 3] &= (uint8_t) ~(1u << (block & 7));
}

size_t store_map_bytes(uint64_t blocks)
{
	return (size_t)((blocks + 7) / 8);
}

int store_mark(struct store *s, uint8_t *map, uint64_t block, const char *what)
{
	if (block < STORE_SLOTS || block >= s->blocks)
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): out of range",
		                  (unsigned long long)block, what);
	if (store_bit(map, block))
		return store_fail(s, STORAGED_ECORRUPT, "block %llu (%s): referenced twice",
		                  (unsigned long long)block, what);
	store_bit_set(map, block);
	return STORAGED_OK;
}

/* Next-fit: freed blocks come round again late, runs come out contiguous. */
uint64_t store_alloc(struct store *s, uint8_t *map)
{
	uint64_t span = s->blocks - STORE_SLOTS;

	for (uint64_t i = 0; i < span; i++) {
		uint64_t b = STORE_SLOTS + (s->cursor + i) % span;

		if (!store_bit(map, b)) {
			store_bit_set(map, b);
			s->cursor = b + 1 - STORE_SLOTS;
			return b;
		}
	}
	return 0;
}
