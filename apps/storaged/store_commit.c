/*
 * The commit (docs/storage-format.md, "Commit"): decode and check
 * everything, then write the new objects and the changed directory leaves
 * to free blocks, flush, write the next generation's superblock into the
 * other slot, flush. Memory switches to the new state only then.
 */
#include <stdlib.h>
#include <string.h>

#include "store_txn.h"

struct plan {
	struct store_ent *ents; /* the new directory */
	int32_t *op;            /* per entry: the put writing it, or -1 */
	uint32_t *oldleaf;      /* per entry: the leaf it came from (or joins) */
	uint32_t nents;
	struct store_leaf leaves[STORE_LEAVES_MAX];
	uint8_t rewrite[STORE_LEAVES_MAX];
	uint32_t nleaves;
	uint8_t dirty[STORE_LEAVES_MAX];
	uint8_t *next, *freed; /* block maps: used after the commit, freed by it */
	uint64_t needed;
};

static int op_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_op *)a)->name, ((const struct store_op *)b)->name);
}

static void add(struct plan *p, const struct store_ent *e, int32_t op, uint32_t leaf)
{
	p->ents[p->nents] = *e;
	p->op[p->nents] = op;
	p->oldleaf[p->nents] = leaf;
	p->nents++;
}

/* Merges the sorted ops into the directory; marks replaced objects' blocks freed. */
static int merge(struct store *s, struct store_txn *t, struct plan *p)
{
	uint32_t i = 0, j = 0, cur = 0;

	while (i < s->nents || j < t->nops) {
		const struct store_ent *o = i < s->nents ? &s->ents[i] : NULL;
		const struct store_op *op = j < t->nops ? &t->ops[j] : NULL;
		int c = !o ? 1 : !op ? -1 : strcmp(o->name, op->name);
		struct store_ent e = {0};

		if (c < 0) {
			cur = o->leaf;
			add(p, o, -1, cur);
			i++;
			continue;
		}
		if (c == 0) {
			int rc = store_tree_walk(s, o, p->freed);

			if (rc != STORAGED_OK)
				return rc;
			cur = o->leaf;
			p->dirty[cur] = 1;
			i++;
		} else if (!op->del) {
			p->dirty[cur] = 1;
		}
		if (!op->del) {
			memcpy(e.name, op->name, STORE_NAME_MAX);
			e.size = op->len;
			p->needed += store_tree_blocks(op->len);
			add(p, &e, (int32_t)j, cur);
		}
		j++;
	}
	return STORAGED_OK;
}

/* Appends k leaves sharing entries [first, first + cnt) evenly. */
static void add_leaves(struct plan *p, uint32_t first, uint32_t cnt, uint32_t k,
                       const struct store_ptr *old, int rewrite)
{
	for (uint32_t x = 0; x < k; x++) {
		uint32_t n = cnt / k + (x < cnt % k);
		struct store_leaf *nl = &p->leaves[p->nleaves];

		nl->first = first;
		nl->count = n;
		if (old)
			nl->ptr = *old;
		p->rewrite[p->nleaves] = (uint8_t)rewrite;
		p->nleaves++;
		first += n;
	}
}

/* Every leaf rewritten, full: when splits have left too many half-empty leaves. */
static int repack(struct store *s, struct plan *p)
{
	uint32_t k = (p->nents + STORE_LEAF_ENTS - 1) / STORE_LEAF_ENTS;

	if (k > STORE_LEAVES_MAX)
		return store_fail(s, STORAGED_ENOSPC, "directory full (%u objects at most)",
		                  STORE_OBJECTS_MAX);
	for (uint32_t l = 0; l < s->nleaves; l++)
		store_bit_set(p->freed, s->leaves[l].ptr.block);
	p->nleaves = 0;
	add_leaves(p, 0, p->nents, k, NULL, 1);
	return STORAGED_OK;
}

/* Cuts the new directory into leaves: untouched leaves kept, changed ones rewritten (split if
 * full). */
static int cut_leaves(struct store *s, struct plan *p)
{
	uint32_t nold = s->nleaves ? s->nleaves : 1, a = 0;
	int rc = STORAGED_OK;

	for (uint32_t l = 0; l < nold; l++) {
		uint32_t b = a, cnt, k;
		int kept;

		while (b < p->nents && p->oldleaf[b] == l)
			b++;
		cnt = b - a;
		kept = cnt && l < s->nleaves && !p->dirty[l];
		if (l < s->nleaves && !kept)
			store_bit_set(p->freed, s->leaves[l].ptr.block);
		k = kept ? 1 : (cnt + STORE_LEAF_ENTS - 1) / STORE_LEAF_ENTS;
		if (p->nleaves + k > STORE_LEAVES_MAX) {
			rc = repack(s, p);
			break;
		}
		add_leaves(p, a, cnt, k, kept ? &s->leaves[l].ptr : NULL, !kept);
		a = b;
	}
	for (uint32_t l = 0; rc == STORAGED_OK && l < p->nleaves; l++)
		p->needed += p->rewrite[l];
	return rc;
}

static uint64_t popcount(const uint8_t *map, size_t bytes)
{
	uint64_t n = 0;

	for (size_t i = 0; i < bytes; i++)
		n += (uint64_t)__builtin_popcount(map[i]);
	return n;
}

/* Writes objects and leaves, flushes, writes the superblock, flushes. */
static int write_all(struct store *s, struct store_txn *t, struct plan *p)
{
	struct store_ptr ptrs[STORE_LEAVES_MAX];
	int rc = STORAGED_OK;

	for (uint32_t i = 0; rc == STORAGED_OK && i < p->nents; i++) {
		const struct store_op *op = p->op[i] >= 0 ? &t->ops[p->op[i]] : NULL;

		if (op)
			rc = store_tree_write(s, p->next, op->name, op->data, op->len,
			                      &p->ents[i].ptr);
	}
	for (uint32_t l = 0; rc == STORAGED_OK && l < p->nleaves; l++) {
		for (uint32_t i = 0; i < p->leaves[l].count; i++)
			p->ents[p->leaves[l].first + i].leaf = l;
		if (p->rewrite[l]) {
			store_leaf_encode(p->ents + p->leaves[l].first, p->leaves[l].count, s->buf);
			rc = store_put_block(s, p->next, STORE_KIND_LEAF, s->buf, &p->leaves[l].ptr,
			                     "directory");
		}
		ptrs[l] = p->leaves[l].ptr;
	}
	if (rc == STORAGED_OK)
		rc = store_dev_flush(s);
	if (rc != STORAGED_OK)
		return rc;
	/* From here the disk may hold either generation: no second try without a reopen. */
	rc = store_super_write(s, s->generation + 1, ptrs, p->nleaves, p->nents);
	if (rc == STORAGED_OK)
		rc = store_dev_flush(s);
	if (rc != STORAGED_OK)
		s->broken = 1;
	return rc;
}

static void install(struct store *s, struct plan *p)
{
	size_t bytes = store_map_bytes(s->blocks);

	for (size_t i = 0; i < bytes; i++)
		p->next[i] &= (uint8_t)~p->freed[i];
	free(s->ents);
	free(s->used);
	s->ents = p->ents;
	s->ents_cap = p->nents;
	s->nents = p->nents;
	s->used = p->next;
	s->used_count = popcount(s->used, bytes);
	memcpy(s->leaves, p->leaves, sizeof(p->leaves));
	s->nleaves = p->nleaves;
	s->generation++;
	s->slot = (unsigned)(s->generation % STORE_SLOTS);
	s->slots[s->slot].state = SLOT_VALID;
	s->slots[s->slot].generation = s->generation;
	p->ents = NULL;
	p->next = NULL;
}

static int plan_alloc(struct store *s, struct store_txn *t, struct plan *p)
{
	size_t n = (size_t)s->nents + t->nops, bytes = store_map_bytes(s->blocks);

	p->ents = calloc(n ? n : 1, sizeof(*p->ents));
	p->op = calloc(n ? n : 1, sizeof(*p->op));
	p->oldleaf = calloc(n ? n : 1, sizeof(*p->oldleaf));
	p->next = malloc(bytes);
	p->freed = calloc(1, bytes);
	if (!p->ents || !p->op || !p->oldleaf || !p->next || !p->freed)
		return store_fail(s, STORAGED_ENOMEM, "commit: out of memory");
	memcpy(p->next, s->used, bytes);
	return STORAGED_OK;
}

static void plan_free(struct plan *p)
{
	free(p->ents);
	free(p->op);
	free(p->oldleaf);
	free(p->next);
	free(p->freed);
	free(p);
}

int store_txn_commit(struct store_txn *t)
{
	struct store *s = t->s;
	struct plan *p = calloc(1, sizeof(*p));
	uint64_t free_blocks = s->blocks - STORE_SLOTS - s->used_count;
	int rc;

	store_why_clear(s);
	s->run_n = 0; /* nothing left over from a failed commit */
	if (!p)
		rc = store_fail(s, STORAGED_ENOMEM, "commit: out of memory");
	else if (s->broken)
		rc = store_fail(s, STORAGED_EIO,
		                "an earlier commit's outcome is unknown: reopen the store");
	else
		rc = plan_alloc(s, t, p);
	if (rc == STORAGED_OK) {
		qsort(t->ops, t->nops, sizeof(*t->ops), op_cmp);
		rc = merge(s, t, p);
	}
	if (rc == STORAGED_OK)
		rc = cut_leaves(s, p);
	if (rc == STORAGED_OK && p->needed > free_blocks)
		rc = store_fail(s, STORAGED_ENOSPC,
		                "image full: the commit needs %llu blocks, %llu are free",
		                (unsigned long long)p->needed, (unsigned long long)free_blocks);
	if (rc == STORAGED_OK)
		rc = write_all(s, t, p);
	if (rc == STORAGED_OK)
		install(s, p);
	if (p)
		plan_free(p);
	store_txn_abort(t);
	return rc;
}
