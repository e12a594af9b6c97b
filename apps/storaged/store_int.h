/*
 * The store's internals (docs/storage-format.md): on-disk layout constants,
 * the in-memory store, and the functions the store_*.c files share.
 * Not for callers: they use store.h.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_MAGIC "KEELSTOR"
#define STORE_VERSION 1u
#define STORE_SLOTS 2u              /* blocks 0 and 1 */
#define STORE_BLOCKS_MIN 8u         /* two slots and a few blocks of room */
#define STORE_BLOCKS_MAX (1u << 24) /* 64 GiB: bounds the in-memory bitmaps */
#define STORE_UUID_LEN 16u
#define STORE_KCV_LEN 16u
#define STORE_NONCE_LEN 12u
#define STORE_TAG_LEN 16u

/* Superblock header (plaintext) offsets. */
#define SB_OFF_MAGIC 0
#define SB_OFF_VERSION 8
#define SB_OFF_BSIZE 12
#define SB_OFF_UUID 16
#define SB_OFF_GEN 32
#define SB_OFF_BLOCKS 40
#define SB_OFF_KCV 48
#define SB_AAD_LEN 64 /* bytes 0..63 are the body's AAD (with the slot) */
#define SB_OFF_NONCE 64
#define SB_OFF_TAG 76
#define SB_OFF_CRC 124
#define SB_HDR_LEN 128
#define SB_BODY_LEN (STORE_BLOCK - SB_HDR_LEN)
#define SB_BODY_PTRS 16 /* u32 leaf_count, u32 0, u64 object_count */

/* Block kinds, bound into each block's AAD. */
enum store_kind {
	STORE_KIND_LEAF = 2,
	STORE_KIND_PTR1 = 3,
	STORE_KIND_PTR2 = 4,
	STORE_KIND_DATA = 5,
};

#define STORE_PTR_LEN 36u                                  /* u64 block, nonce[12], tag[16] */
#define STORE_PTRS_PER_BLOCK (STORE_BLOCK / STORE_PTR_LEN) /* 113 */
#define STORE_LEAVES_MAX ((SB_BODY_LEN - SB_BODY_PTRS) / STORE_PTR_LEN) /* 109 */
#define LEAF_HDR_LEN 8u
#define LEAF_ENT_LEN (1u + (STORE_NAME_MAX - 1u) + 8u + STORE_PTR_LEN) /* 108 */
#define STORE_LEAF_ENTS ((STORE_BLOCK - LEAF_HDR_LEN) / LEAF_ENT_LEN)  /* 37 */
#define STORE_OBJECTS_MAX (STORE_LEAVES_MAX * STORE_LEAF_ENTS)
#define STORE_OBJECT_MAX STORAGED_OBJECT_MAX
/* Blocks per device request: one blkdev message (BLK_MAX_BLOCKS) at most. */
#define STORE_RUN_MAX 15u
/* Most bytes one transaction may stage (bounds memory). */
#define STORE_TXN_MAX_BYTES (4u * STORAGED_OBJECT_MAX)

_Static_assert(STORE_PTRS_PER_BLOCK == 113, "pointer block layout");
_Static_assert(STORE_LEAVES_MAX == 109, "superblock body layout");
_Static_assert(STORE_LEAF_ENTS == 37, "leaf layout");

struct store_ptr {
	uint64_t block; /* 0 = none (empty object) */
	uint8_t nonce[STORE_NONCE_LEN];
	uint8_t tag[STORE_TAG_LEN];
};

struct store_ent {
	char name[STORE_NAME_MAX];
	uint64_t size;
	struct store_ptr ptr;
	uint32_t leaf; /* index of the leaf holding it */
};

struct store_leaf {
	struct store_ptr ptr;
	uint32_t first, count; /* entries [first, first + count) of ents */
};

struct store_keys {
	uint8_t super[32], block[32], kcv[STORE_KCV_LEN];
};

struct store_slotinfo {
	int state; /* enum store_slot_state */
	uint64_t generation;
};

enum store_slot_state {
	SLOT_BLANK,
	SLOT_FOREIGN,
	SLOT_DAMAGED,
	SLOT_WRONG_KEY,
	SLOT_CORRUPT,
	SLOT_VALID,
};

struct store {
	struct store_dev dev;
	struct store_keys keys;
	uint8_t uuid[STORE_UUID_LEN];
	uint64_t generation, blocks;
	unsigned slot; /* the slot holding `generation` */
	struct store_slotinfo slots[STORE_SLOTS];
	/* The directory: entries sorted by name, cut into leaves. */
	struct store_ent *ents;
	uint32_t nents, ents_cap;
	struct store_leaf leaves[STORE_LEAVES_MAX];
	uint32_t nleaves;
	/* Used blocks of the current generation (bit set = used). */
	uint8_t *used;
	uint64_t used_count, cursor;
	int broken; /* a superblock write's outcome is unknown: reopen */
	struct store_stats stats;
	uint8_t buf[STORE_BLOCK], buf2[STORE_BLOCK];
	/* Sealed blocks waiting to be written as one run (store_block_write). */
	uint8_t run[STORE_RUN_MAX * STORE_BLOCK];
	uint64_t run_start;
	uint32_t run_n;
	char why[192];
};

/* Little-endian helpers. */
static inline void st_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void st_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static inline void st_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint16_t st_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t st_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t st_get64(const uint8_t *p)
{
	return (uint64_t)st_get32(p) | (uint64_t)st_get32(p + 4) << 32;
}

/* store_crypto.c */
int store_kdf(const uint8_t key[STORE_KEY_LEN], const uint8_t uuid[STORE_UUID_LEN],
              struct store_keys *out);
void store_keys_wipe(struct store_keys *k);
int store_random(void *buf, size_t len);
/* AES-256-GCM over one buffer; 0 or -1 (open: authentication failed). */
int store_gcm_seal(const uint8_t key[32], const uint8_t *aad, size_t aadlen, const uint8_t *in,
                   uint8_t *out, size_t len, uint8_t nonce[STORE_NONCE_LEN],
                   uint8_t tag[STORE_TAG_LEN]);
int store_gcm_open(const uint8_t key[32], const uint8_t *aad, size_t aadlen, const uint8_t *in,
                   uint8_t *out, size_t len, const uint8_t nonce[STORE_NONCE_LEN],
                   const uint8_t tag[STORE_TAG_LEN]);
uint32_t store_crc32(const uint8_t *p, size_t len);
int store_mem_is_zero(const void *p, size_t len);

/* store_block.c: sealed blocks addressed by pointers */
void store_ptr_encode(uint8_t *p, const struct store_ptr *ptr);
void store_ptr_decode(const uint8_t *p, struct store_ptr *ptr);
int store_ptr_eq(const struct store_ptr *a, const struct store_ptr *b);
int store_block_read(struct store *s, const struct store_ptr *ptr, enum store_kind kind,
                     uint8_t *out, const char *what);
int store_block_write(struct store *s, uint64_t block, enum store_kind kind, const uint8_t *in,
                      struct store_ptr *ptr);
int store_dev_read(struct store *s, uint64_t block, uint32_t count, void *buf, const char *what);
int store_block_open(struct store *s, const struct store_ptr *ptr, enum store_kind kind,
                     const uint8_t *cipher, uint8_t *out, const char *what);
int store_block_in_range(struct store *s, uint64_t block, const char *what);
int store_run_flush(struct store *s);
int store_dev_write(struct store *s, uint64_t block, const void *buf);
int store_dev_flush(struct store *s);

/* store_why.c */
int store_fail(struct store *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void store_why_clear(struct store *s);

/* store_alloc.c */
int store_bit(const uint8_t *map, uint64_t block);
void store_bit_set(uint8_t *map, uint64_t block);
void store_bit_clear(uint8_t *map, uint64_t block);
size_t store_map_bytes(uint64_t blocks);
/* Marks `block` used in map; ECORRUPT naming `what` if out of range or already used. */
int store_mark(struct store *s, uint8_t *map, uint64_t block, const char *what);
/* The next block free in both maps from the cursor; 0 when none. */
uint64_t store_alloc(struct store *s, uint8_t *map);

/* store_names.c */
int store_name_valid(const char *name, size_t len);

/* store_super.c */
int store_super_write(struct store *s, uint64_t generation, const struct store_ptr *leaves,
                      uint32_t nleaves, uint64_t nobjects);
int store_super_load(struct store *s, const uint8_t key[STORE_KEY_LEN], uint64_t min_generation,
                     struct store_ptr *leaves, uint32_t *nleaves, uint64_t *nobjects);
int store_super_verify(struct store *s);
const char *store_slot_name(int state);

/* store_dir.c */
void store_leaf_encode(const struct store_ent *ents, uint32_t count, uint8_t *out);
int store_dir_load(struct store *s, const struct store_ptr *leaves, uint32_t nleaves,
                   uint64_t nobjects);
/* Index of the entry named `name`, or -1 (*pos = where it would go). */
long store_dir_find(const struct store *s, const char *name, uint32_t *pos);

/* store_tree.c: an object's blocks */
uint64_t store_tree_blocks(uint64_t size); /* data + pointer blocks */
int store_tree_walk(struct store *s, const struct store_ent *e, uint8_t *map);
int store_tree_read(struct store *s, const struct store_ent *e, uint64_t from, uint64_t len,
                    uint8_t *out);
/* Seals `in` as a new block of `kind`, allocated from map. */
int store_put_block(struct store *s, uint8_t *map, enum store_kind kind, const uint8_t *in,
                    struct store_ptr *out, const char *name);
int store_tree_write(struct store *s, uint8_t *map, const char *name, const uint8_t *data,
                     uint64_t size, struct store_ptr *out);
/* Authenticates every block of the object (store_check). */
int store_tree_check(struct store *s, const struct store_ent *e);

#endif
