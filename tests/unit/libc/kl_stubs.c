/*
 * Host stand-ins for the keel_* syscall stubs the renamed libc archive
 * calls (kl_keel_*): memory over mmap with a limit (so ENOMEM paths run),
 * log to stderr, time over clock_gettime, random over getrandom, and exit
 * over _exit (so a death test sees the status libc chose).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <keel/errors.h>
#include <keel/syscall_numbers.h>

#include "kl.h"

static size_t mem_limit = (size_t)1 << 30;
static size_t mem_mapped;

void kl_stub_set_mem_limit(size_t bytes)
{
	mem_limit = bytes;
}

size_t kl_stub_mapped(void)
{
	return mem_mapped;
}

/* While capturing (kl_stub_capture), keel_log appends here instead. */
static char captured[65536];
static size_t captured_len;
static int capturing;

void kl_stub_capture(int on)
{
	capturing = on;
	captured_len = 0;
	captured[0] = 0;
}

const char *kl_stub_captured(void)
{
	return captured;
}

long kl_keel_log(const char *buf, size_t len)
{
	if (len > KEEL_LOG_MAX)
		return KEEL_EINVAL;
	if (capturing) {
		if (len >= sizeof(captured) - captured_len)
			return KEEL_EINVAL;
		memcpy(captured + captured_len, buf, len);
		captured_len += len;
		captured[captured_len] = 0;
		return (long)len;
	}
	return (long)fwrite(buf, 1, len, stderr);
}

_Noreturn void kl_keel_exit(int status)
{
	fflush(stderr);
	_exit(status);
}

void *kl_keel_mem_map(size_t len, uint32_t prot, long *err)
{
	(void)prot;
	if (len == 0 || len % 4096 != 0) {
		*err = KEEL_EINVAL;
		return NULL;
	}
	if (len > mem_limit || mem_mapped > mem_limit - len) {
		*err = KEEL_ENOMEM;
		return NULL;
	}
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		*err = KEEL_ENOMEM;
		return NULL;
	}
	mem_mapped += len;
	*err = KEEL_OK;
	return p;
}

long kl_keel_mem_unmap(void *addr, size_t len)
{
	if (munmap(addr, len) != 0)
		return KEEL_EINVAL;
	mem_mapped -= len;
	return 0;
}

int64_t kl_keel_time(uint32_t clock)
{
	struct timespec ts;
	if (clock > KEEL_CLOCK_REALTIME)
		return KEEL_EINVAL;
	clock_gettime(clock == KEEL_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

long kl_keel_random(void *buf, size_t len)
{
	if (len > KEEL_RANDOM_MAX)
		return KEEL_EINVAL;
	return (long)getrandom(buf, len, 0);
}

long kl_keel_yield(void)
{
	return 0;
}
