/*
 * The only C library functions the IGVM parser uses. Declared here instead
 * of including <string.h> so the parser also builds for the 32-bit
 * freestanding shim, which provides these three itself.
 */
#ifndef KEEL_IGVM_MEM_H
#define KEEL_IGVM_MEM_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
