#include <keel/errors.h>

#include "lib/kstring.h"
#include "mm/phys.h"
#include "mm/pt.h"
#include "mm/uaccess.h"

static int range_ok(struct uaddr a, size_t n)
{
	return a.v <= USER_TOP && n <= USER_TOP - a.v;
}

int uaccess_check(uint64_t root, struct uaddr a, size_t n, int write)
{
	uint64_t pa;
	if (!range_ok(a, n))
		return KEEL_EFAULT;
	if (!n)
		return 0;
	for (uint64_t p = a.v & PAGE_MASK; p < a.v + n; p += PAGE_SIZE)
		if (pt_translate_user(root, p, write, &pa))
			return KEEL_EFAULT;
	return 0;
}

/* Bytes from `va` to the end of its page, capped at n. */
static size_t chunk(uint64_t va, size_t n)
{
	size_t left = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	return left < n ? left : n;
}

int copy_from_user(uint64_t root, void *dst, struct uaddr src, size_t n)
{
	int rc = uaccess_check(root, src, n, UACCESS_READ);
	uint8_t *d = dst;
	uint64_t pa;
	if (rc)
		return rc;
	while (n) {
		size_t c = chunk(src.v, n);
		if (pt_translate_user(root, src.v, UACCESS_READ, &pa))
			return KEEL_EFAULT;
		memcpy(d, phys_to_virt(pa), c);
		d += c, src.v += c, n -= c;
	}
	return 0;
}

int copy_to_user(uint64_t root, struct uaddr dst, const void *src, size_t n)
{
	int rc = uaccess_check(root, dst, n, UACCESS_WRITE);
	const uint8_t *s = src;
	uint64_t pa;
	if (rc)
		return rc;
	while (n) {
		size_t c = chunk(dst.v, n);
		if (pt_translate_user(root, dst.v, UACCESS_WRITE, &pa))
			return KEEL_EFAULT;
		memcpy(phys_to_virt(pa), s, c);
		s += c, dst.v += c, n -= c;
	}
	return 0;
}

int copy_user_to_user(uint64_t dst_root, struct uaddr dst, uint64_t src_root, struct uaddr src,
		      size_t n, enum uaccess_side *side)
{
	uint64_t spa, dpa;
	*side = UACCESS_SIDE_NONE;
	if (uaccess_check(src_root, src, n, UACCESS_READ)) {
		*side = UACCESS_SIDE_SRC;
		return KEEL_EFAULT;
	}
	if (uaccess_check(dst_root, dst, n, UACCESS_WRITE)) {
		*side = UACCESS_SIDE_DST;
		return KEEL_EFAULT;
	}
	while (n) {
		size_t c = chunk(src.v, n), cd = chunk(dst.v, n);
		if (cd < c)
			c = cd;
		if (pt_translate_user(src_root, src.v, UACCESS_READ, &spa) ||
		    pt_translate_user(dst_root, dst.v, UACCESS_WRITE, &dpa))
			return KEEL_EFAULT;
		memmove(phys_to_virt(dpa), phys_to_virt(spa), c);
		src.v += c, dst.v += c, n -= c;
	}
	return 0;
}
