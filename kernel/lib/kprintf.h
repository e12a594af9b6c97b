/*
 * Kernel formatted output to the console. Supports %s %c %d %i %u %x %p
 * with l/ll/z length, '0' flag and a field width.
 */
#ifndef KEEL_LIB_KPRINTF_H
#define KEEL_LIB_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* Always NUL-terminates; returns the number of bytes written (truncated). */
size_t ksnprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
