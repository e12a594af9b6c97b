/*
 * libc/ malloc family: random alloc/realloc/free stress with content
 * checks, alignment, ENOMEM at the memory limit, and death tests showing
 * double free and foreign pointers abort (exit 134) instead of corrupting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kl.h"

#define SLOTS 512

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char seed;
};

static void fill(struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->seed + i * 7);
}

static void verify(const struct slot *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s->p[i] != (unsigned char)(s->seed + i * 7))
			fail_msg("block %p byte %zu corrupted", (void *)s->p, i);
}

static size_t random_size(void)
{
	switch (rand() % 10) {
	case 0: return (size_t)rand() % 200000;  /* large: mapped directly */
	case 1: case 2: return (size_t)rand() % 8192;
	default: return (size_t)rand() % 256;
	}
}

static void step(struct slot *s)
{
	int op = rand() % 4;
	if (s->p != NULL)
		verify(s, s->n);
	if (op == 0 && s->p != NULL) {
		kl_free(s->p);
		s->p = NULL;
		return;
	}
	size_t n = random_size();
	if (op == 1 && s->p != NULL) {
		unsigned char *q = kl_realloc(s->p, n ? n : 1);
		assert_non_null(q);
		s->p = q;
		verify(s, s->n < n ? s->n : n);
	} else {
		if (s->p != NULL)
			kl_free(s->p);
		s->p = op == 2 ? kl_calloc(1, n) : kl_malloc(n);
		assert_non_null(s->p);
		for (size_t i = 0; op == 2 && i < n; i++)
			assert_int_equal(s->p[i], 0);
	}
	assert_int_equal((uintptr_t)s->p % 16, 0);
	assert_true(kl_malloc_usable_size(s->p) >= n);
	s->n = n ? n : 1;
	s->seed = (unsigned char)rand();
	fill(s);
}

static void test_stress(void **state)
{
	(void)state;
	static struct slot slots[SLOTS];
	size_t mapped_before = kl_stub_mapped();
	srand(1234);
	for (int i = 0; i < 100000; i++)
		step(&slots[rand() % SLOTS]);
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p)
			verify(&slots[i], slots[i].n);
		kl_free(slots[i].p);
		slots[i].p = NULL;
	}
	/* Large blocks are unmapped on free; only small-class chunks stay. */
	assert_true(kl_stub_mapped() - mapped_before < 64u << 20);
}

static void test_aligned(void **state)
{
	(void)state;
	for (size_t align = 8; align <= 65536; align *= 2) {
		void *p = NULL;
		assert_int_equal(kl_posix_memalign(&p, align, 100), 0);
		assert_int_equal((uintptr_t)p % align, 0);
		memset(p, 0xab, 100);
		void *q = kl_aligned_alloc(align, 5000);
		assert_non_null(q);
		assert_int_equal((uintptr_t)q % align, 0);
		memset(q, 0xcd, 5000);
		kl_free(p);
		kl_free(q);
	}
	void *p;
	assert_int_equal(kl_posix_memalign(&p, 24, 10), EINVAL);
}

static void test_enomem(void **state)
{
	(void)state;
	kl_stub_set_mem_limit(kl_stub_mapped() + (4u << 20));
	kl_errno = 0;
	assert_null(kl_malloc(8u << 20));
	assert_int_equal(kl_errno, ENOMEM);
	assert_null(kl_calloc(SIZE_MAX / 2, 4));
	assert_null(kl_malloc(SIZE_MAX - 10));
	void *p = kl_malloc(1u << 20);
	assert_non_null(p);
	kl_free(p);
	kl_stub_set_mem_limit((size_t)1 << 30);
}

/* Runs `fn` in a child; returns its exit status (or -1 if it died otherwise). */
static int child_status(void (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void double_free(void)
{
	void *p = kl_malloc(40);
	kl_free(p);
	kl_free(p);
}

static void foreign_pointer(void)
{
	static char buf[64] __attribute__((aligned(16)));
	kl_free(buf + 32);
}

static void misaligned_pointer(void)
{
	char *p = kl_malloc(64);
	kl_free(p + 1);
}

static void test_heap_misuse_aborts(void **state)
{
	(void)state;
	assert_int_equal(child_status(double_free), 134);
	assert_int_equal(child_status(foreign_pointer), 134);
	assert_int_equal(child_status(misaligned_pointer), 134);
	kl_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_enomem),
		cmocka_unit_test(test_heap_misuse_aborts),
	};
	return cmocka_run_group_tests_name("libc-malloc", tests, NULL, NULL);
}
