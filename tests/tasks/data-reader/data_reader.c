/*
 * The data= file from the task's side (keel/task_data.h;
 * tests/system/data-booted.sh, tests/hosted/data-hosted.sh). argv[1]:
 *   none                          the manifest names no data=: KEEL_ENOENT
 *   fnv=HEX size=N [booted] [delay=MS] then=exit|fault
 * checks keel_task_data's answer against the size and FNV-1a 64 the test
 * computed from the file it packed, its errors (KEEL_EFAULT for bad out
 * pointers), that a syscall may read the data (keel_log of the file's
 * first line) but not write it (keel_random into it: KEEL_EFAULT), and
 * booted the fixed address (KEEL_TASK_DATA_ADDR) and that keel_mem_unmap refuses it. Then
 * `then=exit` exits (0 when every check passed), `then=fault` — only when
 * every check passed — writes one byte of the data, which must end the
 * task by a fault (the manifest says expect=fault). delay=MS: first log
 * "delaying" and wait that long (the hosted test changes the file
 * meanwhile: the task must still see the bytes at launch).
 */
#include "../hostile/tlog.h"
#include <keel/errors.h>
#include <keel/syscall.h>
#include <keel/task_data.h>

struct want {
	uint64_t fnv, size, delay_ms;
	int booted, fault, none;
};

static int word_is(const char *w, const char *prefix, const char **val)
{
	size_t i;
	for (i = 0; prefix[i]; i++)
		if (w[i] != prefix[i])
			return 0;
	*val = w + i;
	return 1;
}

static uint64_t parse_num(const char *s, int base)
{
	uint64_t v = 0;
	for (; *s && *s != ' '; s++) {
		int d = *s >= '0' && *s <= '9'   ? *s - '0'
		        : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
		                                 : -1;
		if (d < 0 || d >= base)
			return 0;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	return v;
}

static void parse(const char *arg, struct want *w)
{
	const char *v;
	while (*arg) {
		if (word_is(arg, "fnv=", &v))
			w->fnv = parse_num(v, 16);
		else if (word_is(arg, "size=", &v))
			w->size = parse_num(v, 10);
		else if (word_is(arg, "delay=", &v))
			w->delay_ms = parse_num(v, 10);
		else if (word_is(arg, "booted", &v))
			w->booted = 1;
		else if (word_is(arg, "then=fault", &v))
			w->fault = 1;
		else if (word_is(arg, "none", &v))
			w->none = 1;
		while (*arg && *arg != ' ')
			arg++;
		while (*arg == ' ')
			arg++;
	}
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void check_none(void)
{
	const void *d = (const void *)1;
	size_t n = 7;
	tcheck_eq("no data=: keel_task_data is KEEL_ENOENT", keel_task_data(&d, &n), KEEL_ENOENT);
	tcheck_true("no data=: the out values are untouched", d == (const void *)1 && n == 7);
	tcheck_eq("no data=: KEEL_ENOENT before the pointers (NULL, NULL)", keel_task_data(0, 0),
	          KEEL_ENOENT);
}

static void check_data(const struct want *w)
{
	const void *d = 0, *d2 = 0;
	size_t n = 0, n2 = 0, line = 0;
	struct tline l;
	long rc = keel_task_data(&d, &n);
	tcheck_eq("keel_task_data", rc, 0);
	if (rc)
		return;
	tcheck_eq("size is the file's", (long)n, (long)w->size);
	tcheck_true("FNV-1a 64 of the data is the file's", fnv1a64(d, n) == w->fnv);
	tl_init(&l, tcheck_prefix);
	tl_str(&l, "data at ");
	tl_hex(&l, (uint64_t)(uintptr_t)d);
	tl_str(&l, ", fnv ");
	tl_hex(&l, fnv1a64(d, n));
	tl_emit(&l);
	tcheck_eq("a second call gives the same answer", keel_task_data(&d2, &n2), 0);
	tcheck_true("same address and size", d2 == d && n2 == n);
	tcheck_eq("data out NULL -> EFAULT", keel_task_data(0, &n2), KEEL_EFAULT);
	tcheck_eq("size out read-only (the data itself) -> EFAULT",
	          keel_task_data(&d2, (size_t *)d), KEEL_EFAULT);
	tcheck_eq("data out in the kernel half -> EFAULT",
	          keel_task_data((const void **)0xffff800000000000ull, &n2), KEEL_EFAULT);
	while (line < n && line < 64 && ((const char *)d)[line] != '\n')
		line++;
	tcheck_eq("keel_log reads its first line straight from the data", keel_log(d, line),
	          (long)line);
	tcheck_eq("keel_random into the data -> EFAULT (read-only)", keel_random((void *)d, 16),
	          KEEL_EFAULT);
	if (w->booted) {
		tcheck_true("booted: at KEEL_TASK_DATA_ADDR", (uint64_t)(uintptr_t)d == KEEL_TASK_DATA_ADDR);
		tcheck_eq("booted: keel_mem_unmap refuses it (not mem_map memory)",
		          keel_mem_unmap((void *)d, 4096), KEEL_EINVAL);
	}
}

int main(int argc, char **argv)
{
	struct want w = {0};
	tcheck_prefix = argc > 0 ? argv[0] : "data-reader";
	parse(argc > 1 ? argv[1] : "", &w);
	if (w.delay_ms) {
		int64_t end = keel_time(KEEL_CLOCK_MONOTONIC) + (int64_t)w.delay_ms * 1000000;
		tlog(tcheck_prefix, "delaying");
		while (keel_time(KEEL_CLOCK_MONOTONIC) < end)
			keel_yield();
	}
	if (w.none) {
		check_none();
		tcheck_finish();
	}
	check_data(&w);
	if (!w.fault || tcheck_failures)
		tcheck_finish();
	{
		const void *d;
		size_t n;
		keel_task_data(&d, &n);
		tlog(tcheck_prefix, "writing one byte of the data (must fault)");
		*(volatile uint8_t *)d ^= 1;
		tlog(tcheck_prefix, "FAIL - the write did not fault");
		keel_exit(1);
	}
}
