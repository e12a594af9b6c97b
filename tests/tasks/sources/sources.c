/*
 * The sources a task trusts the platform for: randomness and the clock.
 * Built booted (Keel's libc over the kernel) and hosted (glibc over Linux,
 * with Keel's rand).
 * Prints its own checks ("sources: ok - ..." / "sources: FAIL - ...", turned
 * into TAP by tests/tasks/hostile/tap.sh's task_checks) and samples the
 * scripts compare across runs and with the host's clock:
 *   sources: sample keel_random HEX      32 bytes from keel_random
 *   sources: sample getrandom HEX        32 bytes from getrandom()
 *   sources: sample rand HEX             8 rand() values after srand(1)
 *   sources: time T                      time(), seconds since the epoch
 * Checks: no repeated 32-byte block in 512 of them (16 KiB in 32-byte
 * calls), monobit (ones within 6 sigma of half) and byte frequency (chi
 * square below 400 for 255 degrees of freedom, mean 255, sd 22.6) over
 * those 16 KiB; the same for getrandom; rand() not constant; time(),
 * clock_gettime(CLOCK_REALTIME) and gettimeofday within 2 s of each other
 * and after 2024-01-01; CLOCK_MONOTONIC moving forward.
 Both ways: srand(1) does not make rand() repeat (Keel's rand, libc/rand.c,
 * draws from the kernel source and hosted tasks link it too; docs/libc.md).
 * argv[1] = "booted": also what libc/start.c sets up (not in the host build of tests/unit/libc):
 * an empty environ, program_invocation_name = argv[0].
 * Exits 0 when every check passed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>

#include <keel/syscall.h>

#define BLOCK 32
#define NBLOCKS 512

static int failures;
static unsigned char buf[NBLOCKS * BLOCK];

static void check(const char *what, int cond, const char *got)
{
	if (cond)
		printf("sources: ok - %s (got %s)\n", what, got);
	else {
		printf("sources: FAIL - %s: got %s\n", what, got);
		failures++;
	}
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static int cmp_block(const void *a, const void *b)
{
	return memcmp(a, b, BLOCK);
}

/* Checks 16 KiB already in buf, filled by `name` in 32-byte calls. */
static void judge(const char *name)
{
	char what[128], got[64];
	unsigned long ones = 0, count[256] = {0};
	for (size_t i = 0; i < sizeof(buf); i++) {
		ones += (unsigned long)__builtin_popcount(buf[i]);
		count[buf[i]]++;
	}
	/* 131072 bits: mean 65536, sigma 181 */
	snprintf(what, sizeof(what), "%s: monobit, ones within 6 sigma of 65536", name);
	snprintf(got, sizeof(got), "%lu ones", ones);
	check(what, ones > 65536 - 1086 && ones < 65536 + 1086, got);
	double chi = 0, e = sizeof(buf) / 256.0;
	for (int b = 0; b < 256; b++)
		chi += (count[b] - e) * (count[b] - e) / e;
	snprintf(what, sizeof(what), "%s: byte frequency chi-square below 400 (255 dof)", name);
	snprintf(got, sizeof(got), "%d", (int)chi);
	check(what, chi < 400, got);
	qsort(buf, NBLOCKS, BLOCK, cmp_block);
	int repeats = 0;
	for (int i = 1; i < NBLOCKS; i++)
		repeats += memcmp(buf + (i - 1) * BLOCK, buf + i * BLOCK, BLOCK) == 0;
	snprintf(what, sizeof(what), "%s: no 32-byte block repeated in %d", name, NBLOCKS);
	snprintf(got, sizeof(got), "%d repeats", repeats);
	check(what, repeats == 0, got);
}

int main(int argc, char **argv)
{
	int booted = argc > 1 && strcmp(argv[1], "booted") == 0;
	char h[2 * 64 + 1], got[64];
	int ok;

	ok = 1;
	for (int i = 0; i < NBLOCKS && ok; i++)
		ok = keel_random(buf + i * BLOCK, BLOCK) == BLOCK;
	check("keel_random: 512 calls of 32 bytes", ok, ok ? "all" : "a failure");
	hex(h, buf, BLOCK);
	printf("sources: sample keel_random %s\n", h);
	judge("keel_random");

	ok = 1;
	for (int i = 0; i < NBLOCKS && ok; i++)
		ok = getrandom(buf + i * BLOCK, BLOCK, 0) == BLOCK;
	check("getrandom: 512 calls of 32 bytes", ok, ok ? "all" : "a failure");
	hex(h, buf, BLOCK);
	printf("sources: sample getrandom %s\n", h);
	judge("getrandom");

	int r[8], r2[8], distinct = 0;
	srand(1);
	for (int i = 0; i < 8; i++)
		r[i] = rand();
	for (int i = 1; i < 8; i++)
		distinct += r[i] != r[0];
	snprintf(got, sizeof(got), "%d of 7 differ from the first", distinct);
	check("rand: not constant", distinct >= 6, got);
	hex(h, (const unsigned char *)r, sizeof(r));
	printf("sources: sample rand %s\n", h);
	srand(1);
	for (int i = 0; i < 8; i++)
		r2[i] = rand();
	check("rand: srand(1) again does not repeat the sequence (kernel source)",
	      memcmp(r, r2, sizeof(r)) != 0, "a new sequence");

	if (booted) {
		extern char **environ;
		check("libc start: environ is empty", environ != NULL && environ[0] == NULL, "");
		check("libc start: program_invocation_name and _short_name are argv[0]",
		      strcmp(program_invocation_name, argv[0]) == 0 &&
			      strcmp(program_invocation_short_name, argv[0]) == 0,
		      program_invocation_name);
	}

	struct timespec rt, m1, m2;
	struct timeval tv;
	time_t t = time(NULL);
	clock_gettime(CLOCK_REALTIME, &rt);
	gettimeofday(&tv, NULL);
	printf("sources: time %lld\n", (long long)t);
	snprintf(got, sizeof(got), "%lld", (long long)t);
	check("time: after 2024-01-01", t > 1704067200, got);
	snprintf(got, sizeof(got), "%lld and %lld", (long long)t, (long long)rt.tv_sec);
	check("clock_gettime(CLOCK_REALTIME) within 2 s of time()",
	      rt.tv_sec - t <= 2 && t - rt.tv_sec <= 2, got);
	snprintf(got, sizeof(got), "%lld and %lld", (long long)t, (long long)tv.tv_sec);
	check("gettimeofday within 2 s of time()", tv.tv_sec - t <= 2 && t - tv.tv_sec <= 2, got);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	do
		clock_gettime(CLOCK_MONOTONIC, &m2);
	while (m2.tv_sec == m1.tv_sec && m2.tv_nsec == m1.tv_nsec && ++distinct < 100000000);
	check("CLOCK_MONOTONIC moves forward",
	      m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec > m1.tv_nsec), "");

	printf("sources: %s, %d failed checks\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
