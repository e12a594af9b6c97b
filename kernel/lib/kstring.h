/* Kernel string helpers (the standard ones are declared by <string.h>). */
#ifndef KEEL_LIB_KSTRING_H
#define KEEL_LIB_KSTRING_H

#include <stddef.h>
#include <string.h>

/* Copy at most cap-1 bytes and always NUL-terminate. */
void kstr_copy(char *dst, const char *src, size_t cap);
/* Zero memory in a way the compiler cannot drop (secrets). */
void kmem_wipe(void *p, size_t n);

#endif
