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

#endif
