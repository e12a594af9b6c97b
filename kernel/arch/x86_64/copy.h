/*
 * The kernel's bulk copy for user messages: `rep movsq` then `rep movsb`.
 * DF is clear in the kernel (RFLAGS_KERNEL), so it copies forwards; the
 * ranges must not overlap (uaccess.c falls back to memmove when they do).
 * kernel/lib/string.c stays a plain byte loop: the 32-bit shim builds it.
 */
#ifndef KEEL_ARCH_COPY_H
#define KEEL_ARCH_COPY_H

#include <stddef.h>

static inline void copy_forward(void *dst, const void *src, size_t n)
{
	size_t q = n >> 3, b = n & 7;
	__asm__ volatile("rep movsq\n\t"
			 "mov %3, %%rcx\n\t"
			 "rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(q)
			 : "r"(b)
			 : "memory");
}

#endif
