/*
 * Opening, formatting and closing a store (docs/storage-format.md):
 * superblocks first, then the directory, then a walk of every object's
 * pointer blocks that builds the map of used blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static void why_out(char *why, size_t whylen, const char *msg)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", msg);
}

static struct store *store_new(const struct store_dev *dev)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s)
		s->dev = *dev;
	return s;
}

static int dev_usable(const struct store_dev *dev)
{
	return dev && dev->read && dev->write && dev->flush && dev->blocks >= STORE_SLOTS;
}

static int load(struct store *s, const uint8_t key[STORE_KEY_LEN], uint64_t min_generation)
{
	struct store_ptr leaves[STORE_LEAVES_MAX];
	uint32_t nleaves = 0;
	uint64_t nobjects = 0;
	int rc = store_super_load(s, key, min_generation, leaves, &nleaves, &nobjects);

	if (rc != STORAGED_OK)
		return rc;
	s->used = calloc(1, store_map_bytes(s->blocks));
	if (!s->used)
		return store_fail(s, STORAGED_ENOMEM, "out of memory for the block map");
	rc = store_dir_load(s, leaves, nleaves, nobjects);
	for (uint32_t i = 0; rc == STORAGED_OK && i < s->nents; i++)
		rc = store_tree_walk(s, &s->ents[i], s->used);
	s->used_count = s->nleaves;
	for (uint32_t i = 0; rc == STORAGED_OK && i < s->nents; i++)
		s->used_count += store_tree_blocks(s->ents[i].size);
	/* Allocation goes on after the highest used block, as if never closed. */
	for (uint64_t b = s->blocks; rc == STORAGED_OK && b-- > STORE_SLOTS;)
		if (store_bit(s->used, b)) {
			s->cursor = b + 1 - STORE_SLOTS;
			break;
		}
	return rc;
}

int store_open(const struct store_dev *dev, const uint8_t key[STORE_KEY_LEN],
               uint64_t min_generation, struct store **out, char *why, size_t whylen)
{
	struct store *s;
	int rc;

	*out = NULL;
	if (!dev_usable(dev)) {
		why_out(why, whylen, "device too small for a store");
		return STORAGED_EINVAL;
	}
	s = store_new(dev);
	if (!s) {
		why_out(why, whylen, "out of memory");
		return STORAGED_ENOMEM;
	}
	rc = load(s, key, min_generation);
	if (rc != STORAGED_OK) {
		why_out(why, whylen, s->why);
		store_close(s);
		return rc;
	}
	why_out(why, whylen, "");
	store_why_clear(s);
	*out = s;
	return STORAGED_OK;
}

int store_format(const struct store_dev *dev, const uint8_t key[STORE_KEY_LEN], uint64_t generation,
                 struct store **out, char *why, size_t whylen)
{
	struct store *s;
	int rc;

	*out = NULL;
	if (!dev_usable(dev) || dev->blocks < STORE_BLOCKS_MIN) {
		why_out(why, whylen, "device too small for a store");
		return STORAGED_EINVAL;
	}
	s = store_new(dev);
	if (!s) {
		why_out(why, whylen, "out of memory");
		return STORAGED_ENOMEM;
	}
	s->blocks = dev->blocks < STORE_BLOCKS_MAX ? dev->blocks : STORE_BLOCKS_MAX;
	rc = store_random(s->uuid, sizeof(s->uuid)) == 0 && store_kdf(key, s->uuid, &s->keys) == 0
	         ? STORAGED_OK
	         : store_fail(s, STORAGED_ENOMEM, "key derivation failed");
	/* The new superblock first, then the other slot cleared: a cut in between still opens. */
	if (rc == STORAGED_OK)
		rc = store_super_write(s, generation, NULL, 0, 0);
	if (rc == STORAGED_OK) {
		memset(s->buf, 0, STORE_BLOCK);
		rc = store_dev_write(s, (generation + 1) % STORE_SLOTS, s->buf);
	}
	if (rc == STORAGED_OK)
		rc = store_dev_flush(s);
	if (rc != STORAGED_OK) {
		why_out(why, whylen, s->why);
		store_close(s);
		return rc;
	}
	store_close(s);
	return store_open(dev, key, generation, out, why, whylen);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_keys_wipe(&s->keys);
	free(s->ents);
	free(s->used);
	explicit_bzero(s, sizeof(*s)); /* plaintext of the last block read, too */
	free(s);
}

uint64_t store_generation(const struct store *s)
{
	return s->generation;
}

void store_stats(const struct store *s, struct store_stats *out)
{
	*out = s->stats;
}

void store_info(const struct store *s, struct store_info *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->uuid, s->uuid, sizeof(out->uuid));
	out->generation = s->generation;
	out->blocks = s->blocks;
	out->blocks_used = s->used_count + STORE_SLOTS;
	out->objects = s->nents;
	out->slot = s->slot;
	for (unsigned i = 0; i < STORE_SLOTS; i++) {
		out->slot_state[i] = store_slot_name(s->slots[i].state);
		out->slot_generation[i] = s->slots[i].generation;
	}
}
