/*
 * The one way the kernel reaches user memory (docs/decisions.md D2).
 * A user address is its own type, and only these functions accept it.
 * They walk the task's page tables in software and copy through the
 * direct map, so a bad pointer is KEEL_EFAULT, never a kernel fault, and
 * the kernel never dereferences a user virtual address (SMAP stays on).
 * Each checks the whole range before copying a byte: no half copies.
 */
#ifndef KEEL_MM_UACCESS_H
#define KEEL_MM_UACCESS_H

#include <stddef.h>
#include <stdint.h>

struct uaddr {
	uint64_t v;
};

static inline struct uaddr uaddr_from(uint64_t v)
{
	return (struct uaddr){v};
}

static inline struct uaddr uaddr_add(struct uaddr a, uint64_t off)
{
	return (struct uaddr){a.v + off};
}

#define UACCESS_READ 0
#define UACCESS_WRITE 1

/* 0 if [a, a+n) lies in the user half and every page is mapped with the access; else KEEL_EFAULT. */
int uaccess_check(uint64_t root, struct uaddr a, size_t n, int write);
int copy_from_user(uint64_t root, void *dst, struct uaddr src, size_t n);
int copy_to_user(uint64_t root, struct uaddr dst, const void *src, size_t n);

enum uaccess_side { UACCESS_SIDE_NONE = 0, UACCESS_SIDE_SRC, UACCESS_SIDE_DST };
/*
 * The channel's single copy: `n` bytes straight from one task's memory to
 * another's, page by page through the direct map. On KEEL_EFAULT, *side
 * says whose range was bad.
 */
int copy_user_to_user(uint64_t dst_root, struct uaddr dst, uint64_t src_root, struct uaddr src,
		      size_t n, enum uaccess_side *side);

/*
 * A user range checked once (as Hubris's USlice): made only by
 * uspan_check, so holding one means [va, va+n) was mapped with the
 * rights asked for when pt_shrink_gen was `gen`. The channel checks its
 * buffers at the syscall and copies between spans; a span whose
 * generation is stale is checked again in full by the copy.
 */
struct uspan {
	uint64_t root;
	struct uaddr va;
	size_t n;
	int write;
	uint64_t pa;  /* va's physical address (0 when n == 0) */
	uint64_t gen; /* pt_shrink_gen at the check */
};

/*
 * uaccess.c's remembered checks (see there), read inline by uspan_check:
 * a remembered buffer costs a few instructions on the IPC path.
 */
struct check_memo {
	uint64_t root, va, n, pa, gen;
	int write;
};
#define UACCESS_MEMO 16
extern struct check_memo uaccess_memo[UACCESS_MEMO];
extern uint64_t pt_shrink_gen;

static inline struct check_memo *uaccess_memo_slot(uint64_t root, uint64_t va, int write)
{
	return &uaccess_memo[(va ^ (va >> 12) ^ (root >> 12) ^ (uint64_t)write) % UACCESS_MEMO];
}

/* uaccess_check, filling *s on success; uspan_check_walk is its full form. */
int uspan_check_walk(uint64_t root, struct uaddr va, size_t n, int write, struct uspan *s);
static inline int uspan_check(uint64_t root, struct uaddr va, size_t n, int write, struct uspan *s)
{
	const struct check_memo *m = uaccess_memo_slot(root, va.v, write);
	if (n && m->gen == pt_shrink_gen && m->root == root && m->va == va.v && m->n == n && m->write == write) {
		*s = (struct uspan){root, va, n, write, m->pa, m->gen}; /* remembered: in range, n > 0 */
		return 0;
	}
	return uspan_check_walk(root, va, n, write, s);
}
/*
 * copy_user_to_user of the first n bytes of src into dst (n no larger than
 * either): straight through the spans' translations when both are current
 * and each n-byte part lies in one page, else the full copy (which checks
 * both ranges again). Same results and *side as copy_user_to_user.
 */
int uspan_copy(const struct uspan *dst, const struct uspan *src, size_t n, enum uaccess_side *side);

#endif
