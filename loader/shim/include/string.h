/*
 * The shim is freestanding and 32-bit; the host's glibc headers do not
 * exist for -m32 here, so the shared IGVM parser gets these declarations
 * (implemented in kernel/lib/string.c, which shim.mk compiles for -m32).
 */
#ifndef SHIM_STRING_H
#define SHIM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
