/*
 * The store: Keel's on-disk format (docs/storage-format.md) over a block
 * device, as a library with no Keel syscalls in it. Linked into storaged
 * (booted and hosted), build/bin/keel-state, the unit tests, the fuzz
 * targets and the bench, so there is one implementation of the format.
 *
 * Objects are named byte strings ("vtpm/permall"); a transaction stages
 * puts and deletes and commits them atomically: after a power cut at any
 * block write (or a torn write), reopening gives exactly the state before
 * or exactly the state after the commit. Every block is encrypted and
 * authenticated; the authentication tree is rooted in the superblock.
 *
 * Status codes are enum storaged_status. On every error, store_why()
 * says what failed in one line naming the object or block (e.g.
 * "block 37 (object vtpm/permall): authentication failed"); it never
 * holds key material.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "storaged_protocol.h"

#define STORE_BLOCK 4096u
#define STORE_KEY_LEN 32u
#define STORE_NAME_MAX 64 /* including NUL: "namespace/name" */

/* The device: 4096-byte blocks; each callback returns 0 or STORAGED_EIO. */
struct store_dev {
	void *ctx;
	uint64_t blocks;
	int (*read)(void *ctx, uint64_t block, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t block, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
};

struct store;
struct store_txn;

/*
 * Open the store on `dev` with the 32-byte root key. STORAGED_EBLANK when
 * the device is blank (all-zero superblock area: format it);
 * STORAGED_EFOREIGN when it holds something else; STORAGED_EKEY for the
 * wrong key; STORAGED_ECORRUPT when no superblock is intact;
 * STORAGED_EROLLBACK when the newest intact generation < min_generation.
 * The store keeps only keys derived from `key` (the caller zeroes its copy).
 */
int store_open(const struct store_dev *dev, const uint8_t key[STORE_KEY_LEN], uint64_t min_generation,
	       struct store **out, char *why, size_t whylen);
/* Format `dev` (destroying what it holds) as an empty store at `generation`, and open it. */
int store_format(const struct store_dev *dev, const uint8_t key[STORE_KEY_LEN], uint64_t generation,
		 struct store **out, char *why, size_t whylen);
/* Zero every key and free. */
void store_close(struct store *s);

uint64_t store_generation(const struct store *s);
/* The last error's message (empty after success). */
const char *store_why(const struct store *s);

/* STORAGED_OK with *data malloc'd (NULL when *len is 0), STORAGED_ABSENT, or an error. */
int store_get(struct store *s, const char *name, uint8_t **data, size_t *len);
/*
 * Reads bytes [offset, offset + len) of an object (fewer at its end) into buf, decrypting only
 * the blocks that hold them: *size = the object's size, *got = bytes read. STORAGED_ABSENT,
 * STORAGED_EINVAL when offset > size, or an integrity error. (For READ in chunks.)
 */
int store_read(struct store *s, const char *name, uint64_t offset, void *buf, size_t len,
	       uint64_t *size, size_t *got);
/*
 * Calls fn for each object whose name starts with `prefix`, in name order; stops when fn returns
 * non-zero. fn must not commit to the store (the directory it walks would change).
 */
int store_list(struct store *s, const char *prefix, int (*fn)(void *arg, const char *name, uint64_t size),
	       void *arg);
/* Reads and authenticates every reachable block: STORAGED_OK or the first integrity error (store_why names it). */
int store_check(struct store *s);

int store_txn_begin(struct store *s, struct store_txn **out);
/* Stage a put (the data is copied) or a delete; a later stage of the same name replaces an earlier one. */
int store_txn_put(struct store_txn *t, const char *name, const void *data, size_t len);
int store_txn_delete(struct store_txn *t, const char *name);
/*
 * Commit atomically and free `t`. On success the generation went up by one.
 * On failure nothing visible changed: the store (in memory and on disk, as
 * reopened) is the state before the commit.
 */
int store_txn_commit(struct store_txn *t);
void store_txn_abort(struct store_txn *t);

/*
 * Beyond the core API: the INSECURE development key,
 * a summary for keel-state dump, and an in-memory device (storaged's
 * volatile mode, tests, bench).
 */
/* SHA-256 of "keel insecure development key v1": anyone can compute it. */
void store_dev_key(uint8_t out[STORE_KEY_LEN]);

struct store_info {
	uint8_t uuid[16];
	uint64_t generation, blocks, blocks_used, objects;
	unsigned slot;                  /* the slot the generation was read from */
	const char *slot_state[2];      /* "valid", "blank", "damaged", ... */
	uint64_t slot_generation[2];    /* meaningful for "valid" slots */
};
void store_info(const struct store *s, struct store_info *out);

/* A zero-filled device of `blocks` blocks in memory (calloc); 0 or STORAGED_ENOMEM. */
int store_ramdev_init(struct store_dev *dev, uint64_t blocks);
void store_ramdev_free(struct store_dev *dev);

/* The sizes commits cost, for the bench: block writes and flushes since open. */
struct store_stats {
	uint64_t block_writes, bytes_written, flushes;
};
void store_stats(const struct store *s, struct store_stats *out);

#endif
