/*
 * The libc/ functions under test, built for the host with every symbol
 * renamed kl_* (libc/libc.mk: $(LIBC_HOST_LIB)), so a test can call
 * kl_snprintf next to glibc's snprintf on the same input.
 */
#ifndef KL_H
#define KL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

int kl_snprintf(char *buf, size_t cap, const char *fmt, ...);
int kl_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
int kl_sprintf(char *buf, const char *fmt, ...);
int kl_asprintf(char **out, const char *fmt, ...);
int kl___isoc99_sscanf(const char *s, const char *fmt, ...);
int *kl___errno_location(void);
#define kl_errno (*kl___errno_location())

long kl_strtol(const char *s, char **end, int base);
unsigned long kl_strtoul(const char *s, char **end, int base);
long long kl_strtoll(const char *s, char **end, int base);
unsigned long long kl_strtoull(const char *s, char **end, int base);
int kl_atoi(const char *s);

void *kl_memcpy(void *d, const void *s, size_t n);
void *kl_memmove(void *d, const void *s, size_t n);
void *kl_memset(void *d, int c, size_t n);
int kl_memcmp(const void *a, const void *b, size_t n);
void *kl_memchr(const void *p, int c, size_t n);
size_t kl_strlen(const char *s);
int kl_strcmp(const char *a, const char *b);
int kl_strncmp(const char *a, const char *b, size_t n);
int kl_strcasecmp(const char *a, const char *b);
char *kl_strchr(const char *s, int c);
char *kl_strrchr(const char *s, int c);
char *kl_strstr(const char *h, const char *n);
size_t kl_strspn(const char *s, const char *a);
size_t kl_strcspn(const char *s, const char *r);
char *kl_strncpy(char *d, const char *s, size_t n);
char *kl_strcat(char *d, const char *s);
char *kl_strdup(const char *s);
char *kl_strtok(char *s, const char *delim);

const unsigned short **kl___ctype_b_loc(void);
const int32_t **kl___ctype_tolower_loc(void);
const int32_t **kl___ctype_toupper_loc(void);
int kl_isalpha(int c);
int kl_toupper(int c);

void kl_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *kl_bsearch(const void *key, const void *base, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));

int kl__setjmp(jmp_buf env);
_Noreturn void kl_longjmp(jmp_buf env, int val);

void *kl_malloc(size_t n);
void *kl_calloc(size_t n, size_t size);
void *kl_realloc(void *p, size_t n);
void kl_free(void *p);
int kl_posix_memalign(void **out, size_t align, size_t n);
void *kl_aligned_alloc(size_t align, size_t n);
size_t kl_malloc_usable_size(void *p);

struct tm *kl_gmtime_r(const time_t *t, struct tm *tm);
time_t kl_timegm(struct tm *tm);
int kl_clock_gettime(clockid_t id, struct timespec *ts);

long kl_syscall(long nr, ...);

/* kl_stubs.c: capture what the libc writes through keel_log (stdout/stderr). */
void kl_stub_capture(int on);
const char *kl_stub_captured(void);
void *kl_fopen(const char *path, const char *mode);
void *kl_dlopen(const char *file, int mode);
int kl_socket(int d, int t, int p);
int kl_pthread_once(int *once, void (*fn)(void));
int kl_pthread_mutex_lock(void *m);
int kl_pthread_mutex_unlock(void *m);

/* Stand-in control (kl_stubs.c): memory limit for kl_keel_mem_map, bytes mapped. */
void kl_stub_set_mem_limit(size_t bytes);
size_t kl_stub_mapped(void);

#endif
