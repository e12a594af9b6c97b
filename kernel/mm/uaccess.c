#include <keel/errors.h>

#include "arch/x86_64/copy.h"
#include "lib/kstring.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"

static int range_ok(struct uaddr a, size_t n)
{
	return a.v <= USER_TOP && n <= USER_TOP - a.v;
}

/*
 * Recent successful checks: (root, va, n, write) -> va's physical address,
 * as of pt_shrink_gen. A task that passes the same buffer again (a
 * server's receive buffer, a client's response buffer) is not walked
 * again: only a removal can make a checked range bad or move its pages,
 * and every removal bumps the generation (pt.h); a mapping added never
 * changes a page that was already mapped. A failed check is never kept.
 */
struct check_memo uaccess_memo[UACCESS_MEMO];
#define memo uaccess_memo
#define CHECK_MEMO UACCESS_MEMO

/* A check not remembered: walk, and remember it if it passed. */
static __attribute__((noinline)) int check_walk(uint64_t root, struct uaddr a, size_t n, int write, uint64_t *pa,
						struct check_memo *m)
{
	if (pt_check_user_range(root, a.v, n, write, pa))
		return KEEL_EFAULT;
	*m = (struct check_memo){root, a.v, n, *pa, pt_shrink_gen, write};
	return 0;
}

/* The whole range, every page: 0 and *pa (va's physical address; 0 for n == 0), or KEEL_EFAULT. */
static inline __attribute__((always_inline)) int check_range(uint64_t root, struct uaddr a, size_t n, int write,
							     uint64_t *pa)
{
	*pa = 0;
	if (!range_ok(a, n))
		return KEEL_EFAULT;
	if (!n)
		return 0;
	struct check_memo *m = uaccess_memo_slot(root, a.v, write);
	if (m->gen == pt_shrink_gen && m->root == root && m->va == a.v && m->n == n && m->write == write) {
		*pa = m->pa;
		return 0;
	}
	return check_walk(root, a, n, write, pa, m);
}

int uaccess_check(uint64_t root, struct uaddr a, size_t n, int write)
{
	uint64_t pa;
	return check_range(root, a, n, write, &pa);
}

/* One page's worth (or less) between physical addresses; memmove only when they overlap. */
static void copy_phys(uint64_t dpa, uint64_t spa, size_t c)
{
	void *d = phys_to_virt(dpa);
	const void *s = phys_to_virt(spa);
	if (dpa + c <= spa || spa + c <= dpa)
		copy_forward(d, s, c);
	else
		memmove(d, s, c); /* the same task's buffers, overlapping */
}

/* [va, va+n) lies in one page. */
static int one_page(uint64_t va, size_t n)
{
	return ((va ^ (va + n - 1)) & PAGE_MASK) == 0;
}

/* Bytes from `va` to the end of its page, capped at n. */
static size_t chunk(uint64_t va, size_t n)
{
	size_t left = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return left < n ? left : n;
}

/* Bytes to the nearer of two page ends (a source and a destination), capped at n. */
static size_t chunk2(uint64_t s, uint64_t d, size_t n)
{
	size_t c = chunk(s, n), cd = chunk(d, n);
	if (cd < c)
		c = cd;
	return c;
}

int copy_from_user(uint64_t root, void *dst, struct uaddr src, size_t n)
{
	uint64_t pa;
	int rc = check_range(root, src, n, UACCESS_READ, &pa);
	uint8_t *d = dst;
	if (rc)
		return rc;
	if (n && one_page(src.v, n)) { /* the check translated it */
		copy_forward(d, phys_to_virt(pa), n);
		return 0;
	}
	while (n) {
		size_t c = chunk(src.v, n);
		if (pt_translate_user(root, src.v, UACCESS_READ, &pa))
			return KEEL_EFAULT;
		copy_forward(d, phys_to_virt(pa), c); /* kernel memory is never a user frame */
		d += c, src.v += c, n -= c;
	}
	return 0;
}

int copy_to_user(uint64_t root, struct uaddr dst, const void *src, size_t n)
{
	uint64_t pa;
	int rc = check_range(root, dst, n, UACCESS_WRITE, &pa);
	const uint8_t *s = src;
	if (rc)
		return rc;
	if (n && one_page(dst.v, n)) {
		copy_forward(phys_to_virt(pa), s, n);
		return 0;
	}
	while (n) {
		size_t c = chunk(dst.v, n);
		if (pt_translate_user(root, dst.v, UACCESS_WRITE, &pa))
			return KEEL_EFAULT;
		copy_forward(phys_to_virt(pa), s, c);
		s += c, dst.v += c, n -= c;
	}
	return 0;
}

int copy_user_to_user(uint64_t dst_root, struct uaddr dst, uint64_t src_root, struct uaddr src,
		      size_t n, enum uaccess_side *side)
{
	uint64_t spa, dpa;
	*side = UACCESS_SIDE_NONE;
	if (check_range(src_root, src, n, UACCESS_READ, &spa)) {
		*side = UACCESS_SIDE_SRC;
		return KEEL_EFAULT;
	}
	if (check_range(dst_root, dst, n, UACCESS_WRITE, &dpa)) {
		*side = UACCESS_SIDE_DST;
		return KEEL_EFAULT;
	}
	if (n && one_page(src.v, n) && one_page(dst.v, n)) { /* the checks above translated both */
		copy_phys(dpa, spa, n);
		return 0;
	}
	while (n) {
		size_t c = chunk2(src.v, dst.v, n);
		if (pt_translate_user(src_root, src.v, UACCESS_READ, &spa) ||
		    pt_translate_user(dst_root, dst.v, UACCESS_WRITE, &dpa))
			return KEEL_EFAULT;
		copy_phys(dpa, spa, c);
		src.v += c, dst.v += c, n -= c;
	}
	return 0;
}

int uspan_check_walk(uint64_t root, struct uaddr va, size_t n, int write, struct uspan *s)
{
	uint64_t pa;
	int rc = check_range(root, va, n, write, &pa);
	if (!rc)
		*s = (struct uspan){root, va, n, write, pa, pt_shrink_gen};
	return rc;
}

/*
 * A multi-page copy between current spans, checked whole at the syscalls:
 * translate page by page, starting from the checks' first pages.
 */
static __attribute__((noinline)) int copy_pages(const struct uspan *dst, const struct uspan *src, size_t n,
						enum uaccess_side *side)
{
	uint64_t s = src->va.v, d = dst->va.v, spa = src->pa, dpa = dst->pa;
	while (n) {
		size_t c = chunk2(s, d, n);
		/* Cannot fail while the generation holds; if it does, the side is reported as ever. */
		if (s != src->va.v && !(s & (PAGE_SIZE - 1)) && pt_translate_user(src->root, s, UACCESS_READ, &spa)) {
			*side = UACCESS_SIDE_SRC;
			return KEEL_EFAULT;
		}
		if (d != dst->va.v && !(d & (PAGE_SIZE - 1)) && pt_translate_user(dst->root, d, UACCESS_WRITE, &dpa)) {
			*side = UACCESS_SIDE_DST;
			return KEEL_EFAULT;
		}
		copy_phys(dpa, spa, c);
		s += c, d += c, n -= c, spa += c, dpa += c;
	}
	return 0;
}

int uspan_copy(const struct uspan *dst, const struct uspan *src, size_t n, enum uaccess_side *side)
{
	*side = UACCESS_SIDE_NONE;
	if (n && n <= src->n && n <= dst->n && dst->write && src->gen == pt_shrink_gen && dst->gen == pt_shrink_gen) {
		if (one_page(src->va.v, n) && one_page(dst->va.v, n)) {
			copy_phys(dst->pa, src->pa, n); /* the checks translated both */
			return 0;
		}
		return copy_pages(dst, src, n, side);
	}
	return copy_user_to_user(dst->root, dst->va, src->root, src->va, n, side);
}
