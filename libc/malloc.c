/*
 * malloc family over KEEL_SYS_MEM_MAP. Small requests come from power-of-two
 * size classes (32 B .. 64 KiB slots, carved from chunks and recycled
 * through per-class free lists); larger ones are mapped directly and
 * unmapped on free. Every block has a 16-byte header whose tag is the
 * header address XOR a state constant, so free() recognises double frees
 * and pointers it never handed out and aborts instead of corrupting memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/syscall.h>

#include "malloc_internal.h"

#define HDR 16u
#define MIN_SHIFT 5u  /* 32-byte slots */
#define MAX_SHIFT 16u /* 64 KiB slots */
#define N_CLASSES (MAX_SHIFT - MIN_SHIFT + 1)
#define CHUNK_MIN (256u * 1024u)
#define PAGE 4096u

#define TAG_ALLOC 0x6b65656c416c6c63ull /* "keelAllc" */
#define TAG_FREE 0x6b65656c46726565ull  /* "keelFree" */

enum kind { K_SMALL = 1, K_LARGE = 2, K_ALIGNED = 3 };

struct hdr {
	uint64_t tag;
	uint32_t kind;
	uint32_t cls;   /* K_SMALL: class index */
};

struct large {          /* what follows the header for K_LARGE / K_ALIGNED */
	uint64_t value; /* K_LARGE: mapping length; K_ALIGNED: offset back to the real block */
};

_Static_assert(sizeof(struct hdr) == HDR, "header is 16 bytes");

struct free_slot {
	struct free_slot *next;
};

static struct free_slot *free_lists[N_CLASSES];
static char *bump[N_CLASSES], *bump_end[N_CLASSES];

static _Noreturn void heap_fail(const char *what, const void *p)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "malloc: %s %p: aborting\n", what, p);
	keel_log(msg, n > 0 ? (size_t)n : 0);
	abort();
}

static struct hdr *hdr_of(void *p)
{
	return (struct hdr *)((char *)p - HDR);
}

/* For K_LARGE/K_ALIGNED blocks the extra word sits just before the header. */
static struct large *large_of(struct hdr *h)
{
	return (struct large *)((char *)h - sizeof(struct large));
}

static void *tag_block(struct hdr *h, enum kind k, uint32_t cls)
{
	h->tag = (uintptr_t)h ^ TAG_ALLOC;
	h->kind = k;
	h->cls = cls;
	return (char *)h + HDR;
}

static int class_for(size_t n)
{
	if (n > ((size_t)1 << MAX_SHIFT))
		return -1;
	size_t need = n + HDR;
	for (unsigned s = MIN_SHIFT; s <= MAX_SHIFT; s++)
		if (need <= ((size_t)1 << s))
			return (int)(s - MIN_SHIFT);
	return -1;
}

static void *small_alloc(int c)
{
	size_t slot = (size_t)1 << (c + MIN_SHIFT);
	struct free_slot *f = free_lists[c];
	if (f != NULL) {
		struct hdr *h = (struct hdr *)((char *)f - HDR);
		free_lists[c] = f->next;
		return tag_block(h, K_SMALL, (uint32_t)c);
	}
	if (bump[c] == NULL || (size_t)(bump_end[c] - bump[c]) < slot) {
		size_t len = slot * 8 > CHUNK_MIN ? slot * 8 : CHUNK_MIN;
		long err;
		char *chunk = keel_mem_map(len, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
		if (chunk == NULL)
			return NULL;
		bump[c] = chunk;
		bump_end[c] = chunk + len;
	}
	struct hdr *h = (struct hdr *)bump[c];
	bump[c] += slot;
	return tag_block(h, K_SMALL, (uint32_t)c);
}

static void *large_alloc(size_t n)
{
	size_t extra = 2 * HDR; /* [pad][large][hdr] keeps the user pointer 16-aligned */
	if (n > SIZE_MAX - extra - PAGE)
		return NULL;
	size_t len = (n + extra + PAGE - 1) & ~(size_t)(PAGE - 1);
	long err;
	char *base = keel_mem_map(len, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	if (base == NULL)
		return NULL;
	struct hdr *h = (struct hdr *)(base + HDR);
	large_of(h)->value = len;
	return tag_block(h, K_LARGE, 0);
}

void *malloc(size_t n)
{
	int c = class_for(n);
	void *p = c >= 0 ? small_alloc(c) : large_alloc(n);
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

/* Checks the header of a live block; aborts on a freed or foreign pointer. */
static struct hdr *check_live(void *p)
{
	if (((uintptr_t)p & 15) != 0)
		heap_fail("free of misaligned pointer", p);
	struct hdr *h = hdr_of(p);
	if (h->tag == ((uintptr_t)h ^ TAG_FREE))
		heap_fail("double free of", p);
	if (h->tag != ((uintptr_t)h ^ TAG_ALLOC) || h->kind < K_SMALL || h->kind > K_ALIGNED ||
	    (h->kind == K_SMALL && h->cls >= N_CLASSES))
		heap_fail("free of invalid pointer", p);
	return h;
}

void free(void *p)
{
	if (p == NULL)
		return;
	struct hdr *h = check_live(p);
	if (h->kind == K_ALIGNED) {
		void *real = (char *)p - large_of(h)->value;
		h->tag = (uintptr_t)h ^ TAG_FREE;
		free(real);
		return;
	}
	h->tag = (uintptr_t)h ^ TAG_FREE;
	if (h->kind == K_LARGE) {
		char *base = (char *)h - HDR;
		if (keel_mem_unmap(base, large_of(h)->value) < 0)
			heap_fail("unmap failed for", p);
		return;
	}
	struct free_slot *f = p;
	f->next = free_lists[h->cls];
	free_lists[h->cls] = f;
}

size_t malloc_usable_size(void *p)
{
	if (p == NULL)
		return 0;
	struct hdr *h = check_live(p);
	if (h->kind == K_SMALL)
		return ((size_t)1 << (h->cls + MIN_SHIFT)) - HDR;
	if (h->kind == K_LARGE)
		return large_of(h)->value - 2 * HDR;
	size_t off = large_of(h)->value;
	return malloc_usable_size((char *)p - off) - off;
}

void malloc_tag_aligned(void *aligned, size_t offset)
{
	struct hdr *h = hdr_of(aligned);
	large_of(h)->value = offset;
	tag_block(h, K_ALIGNED, 0);
}

void *calloc(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	size_t have = malloc_usable_size(p);
	if (n <= have && hdr_of(p)->kind == K_SMALL)
		return p;
	void *q = malloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, have < n ? have : n);
	free(p);
	return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}
