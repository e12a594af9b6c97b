/*
 * lwIP's port header for Keel (src/include/lwip/arch.h): the compiler and
 * C library facts lwIP asks for. Ring-3 tasks compile against the system
 * (glibc) headers, which the Keel libc implements (docs/libc.md), so the
 * standard integer, string and errno headers are the real ones.
 */
#ifndef KEEL_LWIP_ARCH_CC_H
#define KEEL_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

/* x86-64 only; glibc's <endian.h> (via stdlib.h) already says so. */
#include <endian.h>
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0

/* An lwIP assertion is a broken invariant inside the stack, never a
 * reaction to network input (lwIP checks input with error returns): the
 * task logs it and stops, which the kernel reports with the task's name. */
#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		printf x;                                                                          \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                                    \
	do {                                                                                       \
		printf("lwip: assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__);         \
		abort();                                                                           \
	} while (0)

#endif
