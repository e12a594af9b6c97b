/* libc/ string, ctype, qsort/bsearch and setjmp/longjmp against glibc. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kl.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_mem(void **state)
{
	(void)state;
	unsigned char a[300], b[300], c[300];
	srand(1);
	for (int round = 0; round < 2000; round++) {
		size_t off = (size_t)rand() % 16, n = (size_t)rand() % 256;
		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = (unsigned char)rand();
		memcpy(b, a, sizeof(a));
		memcpy(c, a, sizeof(a));
		kl_memcpy(b + off, a + 20, n);
		memcpy(c + off, a + 20, n);
		assert_memory_equal(b, c, sizeof(b));
		kl_memmove(b + off, b + 8, n);
		memmove(c + off, c + 8, n);
		assert_memory_equal(b, c, sizeof(b));
		kl_memmove(b + 8, b + off, n);
		memmove(c + 8, c + off, n);
		assert_memory_equal(b, c, sizeof(b));
		kl_memset(b + off, round, n);
		memset(c + off, round, n);
		assert_memory_equal(b, c, sizeof(b));
		assert_int_equal(sign(kl_memcmp(a, b, n)), sign(memcmp(a, b, n)));
		assert_ptr_equal(kl_memchr(a, a[n], n), memchr(a, a[n], n));
	}
}

static void test_str(void **state)
{
	(void)state;
	const char *s[] = { "", "a", "abc", "abd", "ab", "ABC", "hello world", "\xff\x01", "a\x80" };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		assert_int_equal(kl_strlen(s[i]), strlen(s[i]));
		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			assert_int_equal(sign(kl_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			assert_int_equal(sign(kl_strncmp(s[i], s[j], 2)), sign(strncmp(s[i], s[j], 2)));
			assert_int_equal(sign(kl_strcasecmp(s[i], s[j])), sign(strcasecmp(s[i], s[j])));
			assert_ptr_equal(kl_strstr(s[i], s[j]), strstr(s[i], s[j]));
			assert_int_equal(kl_strspn(s[i], s[j]), strspn(s[i], s[j]));
			assert_int_equal(kl_strcspn(s[i], s[j]), strcspn(s[i], s[j]));
		}
		for (int ch = 0; ch < 256; ch += 17) {
			assert_ptr_equal(kl_strchr(s[i], ch), strchr(s[i], ch));
			assert_ptr_equal(kl_strrchr(s[i], ch), strrchr(s[i], ch));
		}
	}
	char d1[16], d2[16];
	memset(d1, 'x', sizeof(d1));
	memset(d2, 'x', sizeof(d2));
	kl_strncpy(d1, "abc", 8);
	strncpy(d2, "abc", 8);
	assert_memory_equal(d1, d2, sizeof(d1));
	strcpy(d1, "ab");
	kl_strcat(d1, "cd");
	assert_string_equal(d1, "abcd");
	char *dup = kl_strdup("copy");
	assert_string_equal(dup, "copy");
	kl_free(dup);
	char t[] = ",a,,bc,";
	assert_string_equal(kl_strtok(t, ","), "a");
	assert_string_equal(kl_strtok(NULL, ","), "bc");
	assert_null(kl_strtok(NULL, ","));
}

static void test_ctype(void **state)
{
	(void)state;
	const unsigned short *kb = *kl___ctype_b_loc(), *gb = *__ctype_b_loc();
	const int32_t *kl = *kl___ctype_tolower_loc(), *gl = *__ctype_tolower_loc();
	const int32_t *ku = *kl___ctype_toupper_loc(), *gu = *__ctype_toupper_loc();
	for (int c = -128; c < 256; c++) {
		if (kb[c] != gb[c])
			fail_msg("class of %d: keel 0x%x glibc 0x%x", c, kb[c], gb[c]);
		assert_int_equal(kl[c], gl[c]);
		assert_int_equal(ku[c], gu[c]);
	}
	assert_true(kl_isalpha('q'));
	assert_false(kl_isalpha('1'));
	assert_int_equal(kl_toupper('q'), 'Q');
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void test_qsort_bsearch(void **state)
{
	(void)state;
	static int a[5000], b[5000];
	srand(7);
	for (size_t n = 0; n < 5000; n = n * 3 + 1) {
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = rand() % 1000 - 500;
		kl_qsort(a, n, sizeof(int), cmp_int);
		qsort(b, n, sizeof(int), cmp_int);
		assert_memory_equal(a, b, n * sizeof(int));
		for (int k = -501; k <= 501 && n > 0; k += 37) {
			int *hit = kl_bsearch(&k, a, n, sizeof(int), cmp_int);
			if (hit != NULL)
				assert_int_equal(*hit, k);
			else
				assert_null(bsearch(&k, b, n, sizeof(int), cmp_int));
		}
	}
}

static jmp_buf env;
static int depth_reached;

static __attribute__((noinline)) void dive(int depth)
{
	volatile char pad[64];
	pad[0] = (char)depth;
	depth_reached = depth + pad[0] - (char)depth;
	if (depth >= 10)
		kl_longjmp(env, depth * 3);
	if (depth < 100)
		dive(depth + 1);
}

static void test_setjmp_longjmp(void **state)
{
	(void)state;
	volatile int passes = 0;
	int r = kl__setjmp(env);
	passes++;
	if (r == 0) {
		dive(0);
		fail_msg("longjmp returned");
	}
	assert_int_equal(r, 30);
	assert_int_equal(passes, 2);
	assert_int_equal(depth_reached, 10);
	r = kl__setjmp(env);
	if (r == 0)
		kl_longjmp(env, 0);
	assert_int_equal(r, 1); /* longjmp(env, 0) makes setjmp return 1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_ctype),
		cmocka_unit_test(test_qsort_bsearch),
		cmocka_unit_test(test_setjmp_longjmp),
	};
	return cmocka_run_group_tests_name("libc-string", tests, NULL, NULL);
}
