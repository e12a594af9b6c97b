/*
 * The non-channel calls of keel/syscall.h on Linux (docs/hosted.md), and
 * keel_syscall6, which dispatches by number so the hostile-style tests can
 * pass raw arguments hosted as they do booted.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <keel/snp_report.h>
#include <keel/syscall.h>

#include "hosted.h"
#include "lib/log_escape.h"
#include "task/manifest.h"

const char *hosted_task_name(void)
{
	return program_invocation_short_name;
}

/* keel_log's output, gathered so a call is one write(2) unless it is huge. */
struct log_out {
	char buf[16384];
	size_t len;
	int failed;
};

static void log_flush(struct log_out *o)
{
	size_t done = 0;
	while (done < o->len && !o->failed) {
		ssize_t r = write(2, o->buf + done, o->len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			o->failed = 1;
		else
			done += (size_t)r;
	}
	o->len = 0;
}

static void log_put(void *ctx, const char *s, size_t n)
{
	struct log_out *o = ctx;
	while (n) {
		size_t c = sizeof(o->buf) - o->len < n ? sizeof(o->buf) - o->len : n;
		memcpy(o->buf + o->len, s, c);
		o->len += c, s += c, n -= c;
		if (o->len == sizeof(o->buf))
			log_flush(o);
	}
}

/* As the kernel's copy_from_user: the range rule, then the bytes, under the fault guard (uaccess.c). */
static long copy_in(void *dst, const void *src, size_t n)
{
	long rc = hosted_user_check(src, n, 0);
	return rc ? rc : hosted_copy(dst, src, n);
}

/* The kernel's rule (lib/log_escape.c): every line prefixed, control bytes as \xNN. */
long keel_log(const char *buf, size_t len)
{
	static __thread char text[KEEL_LOG_MAX];
	struct log_out o;
	long rc;
	if (len > KEEL_LOG_MAX)
		return KEEL_EINVAL;
	rc = copy_in(text, buf, len);
	if (rc)
		return rc;
	o.len = 0;
	o.failed = 0;
	log_emit(hosted_task_name(), text, len, log_put, &o);
	log_flush(&o);
	return o.failed ? KEEL_EINVAL : (long)len;
}

_Noreturn void keel_exit(int status)
{
	exit(status); /* flushes stdio, which hosted services may use */
}

void *keel_mem_map(size_t len, uint32_t prot, long *err)
{
	int p = PROT_NONE;
	void *a;
	long e = 0;
	if (len == 0 || (prot & ~(KEEL_PROT_READ | KEEL_PROT_WRITE | KEEL_PROT_EXEC)) ||
	    ((prot & KEEL_PROT_WRITE) && (prot & KEEL_PROT_EXEC)))
		e = KEEL_EINVAL;
	if (prot & KEEL_PROT_READ)
		p |= PROT_READ;
	if (prot & KEEL_PROT_WRITE)
		p |= PROT_WRITE;
	if (prot & KEEL_PROT_EXEC)
		p |= PROT_EXEC;
	a = e ? MAP_FAILED : mmap(NULL, len, p, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!e && a == MAP_FAILED)
		e = errno == EINVAL ? KEEL_EINVAL : KEEL_ENOMEM;
	if (err)
		*err = e;
	return e ? NULL : a;
}

/* 1 if every page of [addr, addr+len) is mapped (mincore fails with ENOMEM on a hole). */
static int wholly_mapped(void *addr, size_t len)
{
	unsigned char vec[256];
	size_t off, step = sizeof(vec) * 4096;
	for (off = 0; off < len; off += step)
		if (mincore((char *)addr + off, len - off < step ? len - off : step, vec))
			return 0;
	return 1;
}

long keel_mem_unmap(void *addr, size_t len)
{
	if (len == 0 || ((uintptr_t)addr & 4095) || len > (1ull << 47) ||
	    (uintptr_t)addr + len < (uintptr_t)addr)
		return KEEL_EINVAL; /* as the kernel: a range that cannot be a user mapping */
	if (!wholly_mapped(addr, len))
		return KEEL_EINVAL; /* as the kernel: not wholly mapped */
	return munmap(addr, len) ? KEEL_EINVAL : 0;
}

void *keel_mmio_map(uint32_t device, uint64_t offset, size_t len, long *err)
{
	(void)device;
	(void)offset;
	(void)len;
	if (err)
		*err = KEEL_EPERM; /* no devices hosted; front ends use real files and sockets */
	return NULL;
}

void *keel_dma_alloc(size_t len, uint64_t *phys_out, long *err)
{
	(void)len;
	(void)phys_out;
	if (err)
		*err = KEEL_EPERM;
	return NULL;
}

int64_t keel_time(uint32_t clock)
{
	struct timespec ts;
	clockid_t id;
	if (clock == KEEL_CLOCK_MONOTONIC)
		id = CLOCK_MONOTONIC;
	else if (clock == KEEL_CLOCK_REALTIME)
		id = CLOCK_REALTIME;
	else
		return KEEL_EINVAL;
	if (clock_gettime(id, &ts))
		return KEEL_EINVAL;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

long keel_random(void *buf, size_t len)
{
	size_t done = 0;
	long rc;
	if (len > KEEL_RANDOM_MAX)
		return KEEL_EINVAL;
	if ((rc = hosted_user_check(buf, len, 1)))
		return rc; /* as booted: nothing written to a bad buffer */
	while (done < len) {
		ssize_t r = getrandom((char *)buf + done, len - done, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EFAULT ? KEEL_EFAULT : KEEL_EINVAL;
		done += (size_t)r;
	}
	return (long)len;
}

/* The capabilities keel-hosted granted this task (KEEL_HOSTED_CAPS, from its manifest line). */
static uint32_t hosted_caps(void)
{
	const char *v = getenv("KEEL_HOSTED_CAPS");
	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

/*
 * As the kernel's: EPERM without cap=attest, then the buffers; then the
 * report comes from keel-hosted, which holds the emulated key (this process
 * never does): 64 bytes to KEEL_HOSTED_ATTEST_FD, the signed report back
 * (tools/keel-hosted/attest_signer.h). ENOTSUP without keel-hosted's signer.
 */
long keel_attest_report(const void *report_data64, void *out, size_t cap)
{
	uint8_t report_data[64], rsp[SNP_REPORT_LEN + 1];
	long rc;
	ssize_t n;
	if (!manifest_caps_grant(hosted_caps(), MANIFEST_CAP_ATTEST))
		return KEEL_EPERM;
	rc = copy_in(report_data, report_data64, sizeof(report_data));
	if (!rc)
		rc = hosted_user_check(out, cap > 4096 ? 4096 : cap, 1);
	if (rc)
		return rc;
	if (send(KEEL_HOSTED_ATTEST_FD, report_data, sizeof(report_data), MSG_NOSIGNAL) != 64)
		return KEEL_ENOTSUP;
	do
		n = recv(KEEL_HOSTED_ATTEST_FD, rsp, sizeof(rsp), 0);
	while (n < 0 && errno == EINTR);
	if (n == 4) {
		int32_t e;
		memcpy(&e, rsp, 4);
		return e < 0 ? e : KEEL_ENOTSUP;
	}
	if (n != SNP_REPORT_LEN)
		return KEEL_ENOTSUP;
	if (cap < SNP_REPORT_LEN)
		return KEEL_ETOOBIG;
	memcpy(out, rsp, SNP_REPORT_LEN);
	return SNP_REPORT_LEN;
}

long keel_set_tls(uint64_t fs_base)
{
	(void)fs_base;
	return KEEL_ENOTSUP; /* glibc owns FS in a Linux process */
}

/* How many device= grants keel-hosted saw on this task's manifest line (KEEL_HOSTED_DEVICES). */
static uint32_t hosted_devices(void)
{
	const char *v = getenv("KEEL_HOSTED_DEVICES");
	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

/* As the kernel's order: EPERM without the grant; then no interrupt here (no devices hosted). */
long keel_irq_bind(uint32_t device)
{
	return device < hosted_devices() ? KEEL_ENOTSUP : KEEL_EPERM;
}

/* No interrupt handle can exist hosted. */
long keel_irq_ack(keel_handle_t h)
{
	(void)h;
	return KEEL_EBADHANDLE;
}

long keel_yield(void)
{
	sched_yield();
	return 0;
}

/*
 * keel_syscall6's table: one hosted_sys_NAME per entry of KEEL_SYSCALLS
 * (keel/syscall_numbers.h), the list the kernel's table is made from, so a
 * syscall without a hosted implementation does not link; test_syscalls
 * (tests/unit/hosted) calls every entry through it.
 */
typedef long (*hosted_sys_fn)(const long *a);

static long hosted_sys_log(const long *a)
{
	return keel_log((const char *)a[0], (size_t)a[1]);
}

static long hosted_sys_exit(const long *a)
{
	keel_exit((int)a[0]);
}

static long hosted_sys_mem_map(const long *a)
{
	long err = 0;
	void *p = keel_mem_map((size_t)a[0], (uint32_t)a[1], &err);
	return p ? (long)(uintptr_t)p : err;
}

static long hosted_sys_mem_unmap(const long *a)
{
	return keel_mem_unmap((void *)a[0], (size_t)a[1]);
}

static long hosted_sys_mmio_map(const long *a)
{
	long err = 0;
	void *p = keel_mmio_map((uint32_t)a[0], (uint64_t)a[1], (size_t)a[2], &err);
	return p ? (long)(uintptr_t)p : err;
}

static long hosted_sys_dma_alloc(const long *a)
{
	long err = 0;
	void *p = keel_dma_alloc((size_t)a[0], (uint64_t *)a[1], &err);
	return p ? (long)(uintptr_t)p : err;
}

static long hosted_sys_chan_call(const long *a)
{
	return keel_chan_call((keel_handle_t)a[0], (const void *)a[1], (size_t)a[2], (void *)a[3], (size_t)a[4]);
}

static long hosted_sys_chan_recv(const long *a)
{
	return keel_chan_recv((keel_handle_t)a[0], (void *)a[1], (size_t)a[2]);
}

static long hosted_sys_chan_reply(const long *a)
{
	return keel_chan_reply((keel_handle_t)a[0], (const void *)a[1], (size_t)a[2]);
}

static long hosted_sys_chan_reply_recv(const long *a)
{
	return keel_chan_reply_recv((keel_handle_t)a[0], (const void *)a[1], (size_t)a[2], (void *)a[3],
				    (size_t)a[4]);
}

static long hosted_sys_wait(const long *a)
{
	return keel_wait((const keel_handle_t *)a[0], (size_t)a[1], (uint64_t)a[2]);
}

static long hosted_sys_handle_close(const long *a)
{
	return keel_handle_close((keel_handle_t)a[0]);
}

static long hosted_sys_time(const long *a)
{
	return (long)keel_time((uint32_t)a[0]);
}

static long hosted_sys_random(const long *a)
{
	return keel_random((void *)a[0], (size_t)a[1]);
}

static long hosted_sys_attest_report(const long *a)
{
	return keel_attest_report((const void *)a[0], (void *)a[1], (size_t)a[2]);
}

static long hosted_sys_set_tls(const long *a)
{
	return keel_set_tls((uint64_t)a[0]);
}

static long hosted_sys_yield(const long *a)
{
	(void)a;
	return keel_yield();
}

static long hosted_sys_irq_bind(const long *a)
{
	return keel_irq_bind((uint32_t)a[0]);
}

static long hosted_sys_irq_ack(const long *a)
{
	return keel_irq_ack((keel_handle_t)a[0]);
}

static long hosted_sys_task_data(const long *a)
{
	return keel_task_data((const void **)a[0], (size_t *)a[1]);
}

#define HOSTED_SYS_ENTRY_(nr, NAME, name, nargs) [nr] = hosted_sys_##name,
static const hosted_sys_fn hosted_sys_table[KEEL_SYS_COUNT] = {KEEL_SYSCALLS(HOSTED_SYS_ENTRY_)};
#undef HOSTED_SYS_ENTRY_

/* As the kernel's syscall_dispatch: a number outside the table (bits above 31 too) is KEEL_ENOSYS. */
long keel_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long a[6] = {a0, a1, a2, a3, a4, a5};
	if ((unsigned long)nr < KEEL_SYS_COUNT && hosted_sys_table[nr])
		return hosted_sys_table[nr](a);
	return KEEL_ENOSYS;
}
