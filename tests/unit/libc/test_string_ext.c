/*
 * The rest of libc/ string.c, ctype.c, errno.c and setjmp.S against glibc:
 * the n-bounded and copying string functions over every length around
 * their inputs (an off-by-one in strncasecmp or strncat shows), the
 * fortified string entry points in bounds, every ctype predicate over
 * -1..255, strerror/strerror_r, and every setjmp/longjmp name.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "kl.h"

int kl_strncasecmp(const char *a, const char *b, size_t n);
char *kl_strcpy(char *d, const char *s);
char *kl_stpcpy(char *d, const char *s);
char *kl_strncat(char *d, const char *s, size_t n);
char *kl_strndup(const char *s, size_t n);
size_t kl_strnlen(const char *s, size_t n);
char *kl_strpbrk(const char *s, const char *a);
char *kl_strtok_r(char *s, const char *d, char **save);
void *kl_memrchr(const void *p, int c, size_t n);
void kl_bzero(void *p, size_t n);
void kl_explicit_bzero(void *p, size_t n);
void kl___explicit_bzero_chk(void *p, size_t n, size_t dlen);
char *kl___strcat_chk(char *d, const char *s, size_t dlen);
char *kl___strncpy_chk(char *d, const char *s, size_t n, size_t dlen);
void *kl___memmove_chk(void *d, const void *s, size_t n, size_t dlen);
char *kl_strerror(int e);
int kl___xpg_strerror_r(int e, char *buf, size_t len);
int __xpg_strerror_r(int e, char *buf, size_t len); /* glibc's POSIX strerror_r */
int kl_isalnum(int c), kl_isascii(int c), kl_isblank(int c), kl_iscntrl(int c), kl_isdigit(int c),
	kl_isgraph(int c), kl_islower(int c), kl_isprint(int c), kl_ispunct(int c), kl_isspace(int c),
	kl_isupper(int c), kl_isxdigit(int c), kl_tolower(int c);
int kl_setjmp(jmp_buf env);
int kl___sigsetjmp(sigjmp_buf env, int save);
int kl_sigsetjmp(sigjmp_buf env, int save);
_Noreturn void kl__longjmp(jmp_buf env, int val);
_Noreturn void kl_siglongjmp(sigjmp_buf env, int val);
_Noreturn void kl___longjmp_chk(jmp_buf env, int val);

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static const char *words[] = { "", "a", "A", "ab", "aB", "abc", "ABD", "abd", "Hello", "hellO world",
			       "hello", "\xff", "a\x80", "zz", "Z", "[", "_" };
#define NW (sizeof(words) / sizeof(words[0]))

static void test_strncasecmp(void **state)
{
	(void)state;
	for (size_t i = 0; i < NW; i++)
		for (size_t j = 0; j < NW; j++)
			for (size_t n = 0; n <= 13; n++) {
				int k = sign(kl_strncasecmp(words[i], words[j], n));
				int g = sign(strncasecmp(words[i], words[j], n));
				if (k != g)
					fail_msg("strncasecmp(\"%s\", \"%s\", %zu): keel %d, glibc %d", words[i],
						 words[j], n, k, g);
			}
}

static void test_copies(void **state)
{
	(void)state;
	char k[64], g[64];
	for (size_t i = 0; i < NW; i++) {
		memset(k, 'x', sizeof(k));
		memset(g, 'x', sizeof(g));
		assert_ptr_equal(kl_strcpy(k, words[i]), k);
		strcpy(g, words[i]);
		assert_memory_equal(k, g, sizeof(k));
		assert_ptr_equal(kl_stpcpy(k, words[i]), k + strlen(words[i]));
		for (size_t n = 0; n <= 14; n++) {
			assert_int_equal(kl_strnlen(words[i], n), strnlen(words[i], n));
			char *d = kl_strndup(words[i], n);
			char *e = strndup(words[i], n);
			assert_string_equal(d, e);
			kl_free(d);
			free(e);
			for (size_t j = 0; j < NW; j += 3) {
				memset(k, 'x', sizeof(k));
				memset(g, 'x', sizeof(g));
				strcpy(k, words[j]);
				strcpy(g, words[j]);
				assert_ptr_equal(kl_strncat(k, words[i], n), k);
				strncat(g, words[i], n);
				assert_memory_equal(k, g, sizeof(k));
				strcpy(k, words[j]);
				kl___strcat_chk(k, words[i], sizeof(k));
				strcpy(g, words[j]);
				strcat(g, words[i]);
				assert_memory_equal(k, g, sizeof(k));
				memset(k, 'x', sizeof(k));
				memset(g, 'x', sizeof(g));
				kl___strncpy_chk(k, words[i], n, sizeof(k));
				strncpy(g, words[i], n);
				assert_memory_equal(k, g, sizeof(k));
			}
		}
	}
}

static void test_search(void **state)
{
	(void)state;
	const char *sets[] = { "", "a", "lo", "xyz", "\xff", "aA" };
	for (size_t i = 0; i < NW; i++) {
		for (size_t j = 0; j < sizeof(sets) / sizeof(sets[0]); j++)
			assert_ptr_equal(kl_strpbrk(words[i], sets[j]), strpbrk(words[i], sets[j]));
		size_t len = strlen(words[i]);
		for (int c = 0; c < 256; c += 1)
			for (size_t n = 0; n <= len; n++)
				assert_ptr_equal(kl_memrchr(words[i], c, n), memrchr(words[i], c, n));
	}
	const char *in[] = { "a,b,,c", ",,", "", "one", ",x,", "a b\tc" };
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char k[32], g[32], *ks, *gs;
		strcpy(k, in[i]);
		strcpy(g, in[i]);
		char *kt = kl_strtok_r(k, ", \t", &ks), *gt = strtok_r(g, ", \t", &gs);
		for (;;) {
			assert_true((kt == NULL) == (gt == NULL));
			if (!kt)
				break;
			assert_int_equal(kt - k, gt - g);
			assert_string_equal(kt, gt);
			kt = kl_strtok_r(NULL, ", \t", &ks);
			gt = strtok_r(NULL, ", \t", &gs);
		}
	}
}

static void test_zero_and_move(void **state)
{
	(void)state;
	unsigned char a[100], b[100];
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 40; n += 3) {
			memset(a, 0xa5, sizeof(a));
			memset(b, 0xa5, sizeof(b));
			kl_bzero(a + off, n);
			memset(b + off, 0, n);
			assert_memory_equal(a, b, sizeof(a));
			memset(a, 0xa5, sizeof(a));
			kl_explicit_bzero(a + off, n);
			assert_memory_equal(a, b, sizeof(a));
			memset(a, 0xa5, sizeof(a));
			kl___explicit_bzero_chk(a + off, n, sizeof(a) - off);
			assert_memory_equal(a, b, sizeof(a));
			for (size_t i = 0; i < sizeof(a); i++)
				a[i] = b[i] = (unsigned char)(i * 7);
			assert_ptr_equal(kl___memmove_chk(a + off, a + 5, n, sizeof(a) - off), a + off);
			memmove(b + off, b + 5, n);
			assert_memory_equal(a, b, sizeof(a));
		}
}

static void test_ctype_functions(void **state)
{
	(void)state;
	static int (*const kf[])(int) = { kl_isalnum, kl_isalpha, kl_isascii, kl_isblank, kl_iscntrl,
					   kl_isdigit, kl_isgraph, kl_islower, kl_isprint, kl_ispunct,
					   kl_isspace, kl_isupper, kl_isxdigit };
	static const char *names[] = { "isalnum", "isalpha", "isascii", "isblank", "iscntrl", "isdigit",
				       "isgraph", "islower", "isprint", "ispunct", "isspace", "isupper",
				       "isxdigit" };
	for (int c = -1; c < 256; c++) {
		int g[] = { isalnum(c), isalpha(c), isascii(c), isblank(c), iscntrl(c), isdigit(c), isgraph(c),
			    islower(c), isprint(c), ispunct(c), isspace(c), isupper(c), isxdigit(c) };
		for (size_t f = 0; f < sizeof(kf) / sizeof(kf[0]); f++)
			if (!kf[f](c) != !g[f])
				fail_msg("%s(%d): keel %d, glibc %d", names[f], c, kf[f](c), g[f]);
		assert_int_equal(kl_tolower(c), tolower(c));
		assert_int_equal(kl_toupper(c), toupper(c));
	}
}

static void test_strerror(void **state)
{
	(void)state;
	char k[128], g[128];
	int known = 0;
	for (int e = 0; e < 134; e++) {
		const char *m = kl_strerror(e);
		if (strncmp(m, "Unknown error", 13) == 0)
			continue; /* Keel names only the errors it can produce (docs/libc.md) */
		known++;
		if (strcmp(m, strerror(e)) != 0)
			fail_msg("strerror(%d): keel \"%s\", glibc \"%s\"", e, m, strerror(e));
		assert_int_equal(kl___xpg_strerror_r(e, k, sizeof(k)), 0);
		assert_int_equal(__xpg_strerror_r(e, g, sizeof(g)), 0);
		assert_string_equal(k, g);
		assert_int_equal(kl___xpg_strerror_r(e, k, 4), ERANGE);
		assert_int_equal(__xpg_strerror_r(e, g, 4), ERANGE);
		assert_string_equal(k, g);
	}
	assert_true(known >= 20);
	assert_string_equal(kl_strerror(100000), strerror(100000));
	*kl___errno_location() = 33;
	assert_int_equal(kl_errno, 33);
}

static jmp_buf jb;
static sigjmp_buf sjb;

static void test_jumps(void **state)
{
	(void)state;
	volatile int round = 0;
	int r = kl_setjmp(jb);
	if (r == 0)
		kl__longjmp(jb, 7);
	assert_int_equal(r, 7);
	r = kl_setjmp(jb);
	if (r == 0)
		kl___longjmp_chk(jb, 0); /* 0 becomes 1, as in glibc */
	assert_int_equal(r, 1);
	r = kl_sigsetjmp(sjb, 1);
	if (round++ == 0)
		kl_siglongjmp(sjb, 5);
	assert_int_equal(r, 5);
	round = 0;
	r = kl___sigsetjmp(sjb, 0);
	if (round++ == 0)
		kl_siglongjmp(sjb, 9);
	assert_int_equal(r, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strncasecmp),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_zero_and_move),
		cmocka_unit_test(test_ctype_functions),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_jumps),
	};
	return cmocka_run_group_tests_name("libc-string-ext", tests, NULL, NULL);
}
