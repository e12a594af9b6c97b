/*
 * The kernel's own smoke task: raw `syscall`, no libc. One binary, the
 * role chosen by argv[1]: client / server (channel round trips and every
 * error path), spin (preemption + FPU state across switches), and
 * deliberate faults (read-kernel, write-text, ud2) that must end only the
 * task. Prints TAP-like lines through KEEL_SYS_LOG; exits 0 only if every
 * check passed.
 */
#include <keel/errors.h>
#include <keel/msg.h>
#include <keel/syscall_numbers.h>
#include <stddef.h>
#include <stdint.h>

__asm__(".globl _start\n_start:\n\txor %ebp, %ebp\n\tcall smoke_main\n\tud2\n");

#define CHAN 1
#define OP_TOOBIG 2u

static long sc(long n, long a, long b, long c, long d, long e)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return r;
}

static size_t slen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static int seq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void say(const char *s)
{
	sc(KEEL_SYS_LOG, (long)s, (long)slen(s), 0, 0, 0);
}

int failures, checks;

static void check(int ok, const char *what)
{
	char line[128];
	const char *p = ok ? "ok - " : "not ok - ";
	size_t n = 0;
	while (*p)
		line[n++] = *p++;
	for (p = what; *p && n < sizeof(line) - 1; p++)
		line[n++] = *p;
	line[n] = 0;
	say(line);
	checks++;
	failures += !ok;
}

static __attribute__((noreturn)) void finish(void)
{
	sc(KEEL_SYS_EXIT, failures ? 1 : 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

uint8_t req[KEEL_MSG_MAX + 16], rsp[KEEL_MSG_MAX + 16];
__thread int tls_var = 42;
__thread int tls_zero;

static volatile double sse_sink;

/* Floating-point work whose answer is known: corrupted FPU state shows up here. */
static double sse_work(int n)
{
	double acc = 0;
	for (int i = 1; i <= n; i++)
		acc += 1.0 / ((double)i * (double)i);
	return acc;
}

#include "smoke_client.h"
#include "smoke_server.h"

static __attribute__((noinline, used)) void spin(void)
{
	long start = sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0);
	double want = sse_work(2000);
	int rounds = 0, bad = 0;
	while (sc(KEEL_SYS_TIME, KEEL_CLOCK_MONOTONIC, 0, 0, 0, 0) - start < 300000000L) {
		bad += sse_work(2000) != want;
		rounds++;
	}
	check(rounds > 0, "spin: ran");
	check(!bad, "spin: FPU results stable across preemption");
	finish();
}

static void fault(const char *how)
{
	if (seq(how, "read-kernel"))
		sse_sink = *(volatile double *)0xffffffff81000000ull;
	else if (seq(how, "write-text"))
		*(volatile uint8_t *)(uintptr_t)&spin = 0xc3;
	else
		__asm__ volatile("ud2");
	say("fault: survived a deliberate fault");
	sc(KEEL_SYS_EXIT, 7, 0, 0, 0, 0);
}

void smoke_main(long argc, char **argv);
void smoke_main(long argc, char **argv)
{
	if (argc < 2) {
		say("usage: kernel-smoke ROLE");
		sc(KEEL_SYS_EXIT, 2, 0, 0, 0, 0);
	}
	if (seq(argv[1], "client"))
		client(argv[0]);
	else if (seq(argv[1], "server"))
		server();
	else if (seq(argv[1], "spin"))
		spin();
	fault(argv[1]);
}
