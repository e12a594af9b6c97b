/*
 * abi-client MODE: the calling side of the channel-ABI tests.
 *   death    the server dies holding our call -> KEEL_EPEERCLOSED
 *   size     too-big requests and replies -> KEEL_ETOOBIG
 *   handles  stale, closed and never-given handles -> KEEL_EBADHANDLE
 *   wait     drives abi-server's keel_wait over three handles
 *   calls    every call of docs/abi.md that needs no peer: arguments,
 *            limits, capabilities and unknown numbers
 *   fault    bad request and reply buffers -> KEEL_EFAULT, nothing sent
 *   cross    call a peer that calls us at the same time: both wait for
 *            good (kernel/ipc/chan.c), so a returned call is a FAIL
 */
#include <string.h>

#include "abi.h"

static uint8_t big[KEEL_MSG_MAX + 16], rsp[KEEL_MSG_MAX + 16];

static long call(keel_handle_t h, size_t len, size_t cap)
{
	struct keel_msg *m = (struct keel_msg *)big;
	m->op = KEEL_OP_PING;
	m->len = len >= sizeof(*m) ? (uint32_t)(len - sizeof(*m)) : 0;
	return keel_chan_call(h, big, len, rsp, cap);
}

static void death(void)
{
	abi_check("death: call while the server dies -> EPEERCLOSED", call(1, 8, sizeof(rsp)),
		  KEEL_EPEERCLOSED);
	abi_check("death: a later call -> EPEERCLOSED", call(1, 8, sizeof(rsp)), KEEL_EPEERCLOSED);
	abi_check("death: recv on the dead channel -> EPEERCLOSED", keel_chan_recv(1, rsp, 64),
		  KEEL_EPEERCLOSED);
}

static void size(void)
{
	abi_check("size: request > KEEL_MSG_MAX -> ETOOBIG (caller)", call(1, KEEL_MSG_MAX + 1, 64),
		  KEEL_ETOOBIG);
	abi_check("size: 1000-byte request into a 64-byte recv -> ETOOBIG (caller)",
		  call(1, 1000, sizeof(rsp)), KEEL_ETOOBIG);
	abi_check("size: 200-byte reply into rsp_cap 50 -> ETOOBIG (caller)", call(1, 100, 50),
		  KEEL_ETOOBIG);
	abi_check("size: reply > KEEL_MSG_MAX -> ETOOBIG (caller)", call(1, 8, sizeof(rsp)),
		  KEEL_ETOOBIG);
	abi_check("size: full-size request, reply exactly rsp_cap -> 24", call(1, KEEL_MSG_MAX, 24),
		  24);
}

static void handles(void)
{
	abi_check("handles: call on handle 1 -> 8", call(1, 8, 64), 8);
	abi_check("handles: reply with nothing received -> EINVAL", keel_chan_reply(1, big, 8),
		  KEEL_EINVAL);
	abi_check("handles: never-given slot 40 -> EBADHANDLE", call(40, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: slot 1000 -> EBADHANDLE", call(1000, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: slot 1 with generation 1 -> EBADHANDLE", call(KEEL_HANDLE_MAKE(1, 1), 8, 64),
		  KEEL_EBADHANDLE);
	abi_check("handles: close handle 2 -> 0", keel_handle_close(2), 0);
	abi_check("handles: call on the closed handle 2 -> EBADHANDLE", call(2, 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: close it again -> EBADHANDLE", keel_handle_close(2), KEEL_EBADHANDLE);
	abi_check("handles: slot 2 at the next generation is still closed -> EBADHANDLE",
		  call(KEEL_HANDLE_MAKE(2, 1), 8, 64), KEEL_EBADHANDLE);
	abi_check("handles: wait on a stale handle -> EBADHANDLE",
		  keel_wait((const keel_handle_t[]){1, 2}, 2, KEEL_WAIT_POLL), KEEL_EBADHANDLE);
	abi_check("handles: raw syscall 999 -> ENOSYS", keel_syscall6(999, 0, 0, 0, 0, 0, 0),
		  KEEL_ENOSYS);
	abi_check("handles: handle 1 still works -> 8", call(1, 8, 64), 8);
}

static void wait_peer(void)
{
	long n = keel_chan_recv(3, rsp, sizeof(rsp));
	abi_check("wait: the server's ready call arrives on handle 3 -> 8", n, 8);
	abi_check("wait: reply to it -> 0", keel_chan_reply(3, rsp, 8), 0);
	abi_check("wait: call on handle 2 -> 8", call(2, 8, 64), 8);
	abi_check("wait: close handle 1 -> 0", keel_handle_close(1), 0);
	abi_check("wait: call on handle 2 again -> 8", call(2, 8, 64), 8);
}

/* An address no task has mapped: volatile so the compiler cannot see through it. */
static volatile uintptr_t unmapped = 8;
/* Not user addresses: non-canonical, and the kernel half. */
static volatile uintptr_t noncanon = 1ull << 63, kernel_half = 0xffff800000001000ull;

/*
 * A mapping of `pages` pages whose last page is unmapped again, so a buffer
 * ending at (returned + (pages - 1) * 4096) runs past its mapping.
 */
static uint8_t *short_map(size_t pages)
{
	long err = 0;
	uint8_t *p = keel_mem_map(pages * 4096, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	if (!p || keel_mem_unmap(p + (pages - 1) * 4096, 4096))
		return NULL;
	return p;
}

static void fault(void)
{
	long err = 0;
	uint8_t *ro = keel_mem_map(4096, KEEL_PROT_READ, &err), *sm = short_map(2);
	uint8_t *end = sm ? sm + 4096 - 4 : NULL; /* 4 bytes before the hole */
	struct keel_msg *m = (struct keel_msg *)big;
	abi_check("fault: a read-only page and a short mapping", ro != NULL && sm != NULL, 1);
	m->op = KEEL_OP_PING;
	m->len = 0;
	abi_check("fault: call, request unmapped -> EFAULT",
		  keel_chan_call(1, (const void *)unmapped, 8, rsp, 64), KEEL_EFAULT);
	abi_check("fault: call, request non-canonical -> EFAULT",
		  keel_chan_call(1, (const void *)noncanon, 8, rsp, 64), KEEL_EFAULT);
	abi_check("fault: call, request in the kernel half -> EFAULT",
		  keel_chan_call(1, (const void *)kernel_half, 8, rsp, 64), KEEL_EFAULT);
	abi_check("fault: call, request runs past its mapping -> EFAULT",
		  keel_chan_call(1, end, 8, rsp, 64), KEEL_EFAULT);
	abi_check("fault: call, reply buffer unmapped -> EFAULT",
		  keel_chan_call(1, big, 8, (void *)unmapped, 64), KEEL_EFAULT);
	abi_check("fault: call, reply buffer read-only -> EFAULT", keel_chan_call(1, big, 8, ro, 64),
		  KEEL_EFAULT);
	abi_check("fault: call, reply buffer in the kernel half -> EFAULT",
		  keel_chan_call(1, big, 8, (void *)kernel_half, 64), KEEL_EFAULT);
	abi_check("fault: call, reply buffer runs past its mapping -> EFAULT",
		  keel_chan_call(1, big, 8, end, 64), KEEL_EFAULT);
	abi_check("fault: call, reply buffer a string literal (read-only) -> EFAULT",
		  keel_chan_call(1, big, 8, (void *)"literal", 8), KEEL_EFAULT);
	abi_check("fault: call, bad buffers on a never-given handle -> EBADHANDLE (first)",
		  keel_chan_call(40, (const void *)unmapped, 8, (void *)unmapped, 64), KEEL_EBADHANDLE);
	abi_check("fault: call, request > KEEL_MSG_MAX from an unmapped buffer -> ETOOBIG (first)",
		  keel_chan_call(1, (const void *)unmapped, KEEL_MSG_MAX + 1, rsp, 64), KEEL_ETOOBIG);
	/* none of those reached the server: its first request is this one */
	big[7] = 0x5a;
	rsp[7] = 0;
	abi_check("fault: the first good call -> 8", keel_chan_call(1, big, 8, rsp, 64), 8);
	abi_check("fault: its reply echoes the marker (the server saw this call first)", rsp[7], 0x5a);
	abi_check("fault: a second call, the server's reply > KEEL_MSG_MAX -> ETOOBIG",
		  keel_chan_call(1, big, 8, rsp, 64), KEEL_ETOOBIG);
}

static void cross(void)
{
	abi_note("cross: calling the peer while it calls us: both wait for good, as booted");
	/* Tell the witness we got here (the run ends only after both crossers have). */
	if (call(2, 8, 64) != 8)
		abi_check("cross: the witness answers", 0, 1);
	abi_check("cross: a crossing call never returns", call(1, 8, 64), 1);
}

static void calls_log_random_time(void)
{
	uint8_t r[16];
	abi_check("log: 5 bytes -> 5", keel_log("calls", 5), 5);
	abi_check("log: KEEL_LOG_MAX + 1 bytes -> EINVAL", keel_log((const char *)big, KEEL_LOG_MAX + 1),
		  KEEL_EINVAL);
	abi_check("log: unmapped buffer -> EFAULT", keel_log((const char *)unmapped, 4), KEEL_EFAULT);
	abi_check("random: 16 bytes -> 16", keel_random(r, sizeof(r)), 16);
	abi_check("random: KEEL_RANDOM_MAX + 1 -> EINVAL", keel_random(big, KEEL_RANDOM_MAX + 1), KEEL_EINVAL);
	abi_check("random: unmapped buffer -> EFAULT", keel_random((void *)unmapped, 16), KEEL_EFAULT);
	abi_check("random: read-only buffer (a string literal) -> EFAULT", keel_random((void *)"literal", 4),
		  KEEL_EFAULT);
	abi_check("log: non-canonical buffer -> EFAULT", keel_log((const char *)noncanon, 4), KEEL_EFAULT);
	abi_check("log: kernel-half buffer -> EFAULT", keel_log((const char *)kernel_half, 4), KEEL_EFAULT);
	abi_check("time: MONOTONIC -> > 0", keel_time(KEEL_CLOCK_MONOTONIC) > 0, 1);
	abi_check("time: REALTIME -> after 2024", keel_time(KEEL_CLOCK_REALTIME) > 1704067200000000000ll, 1);
	abi_check("time: unknown clock 2 -> EINVAL", keel_time(2), KEEL_EINVAL);
	abi_check("yield -> 0", keel_yield(), 0);
}

static void calls_memory(void)
{
	long err = 1;
	uint8_t *p = keel_mem_map(2 * 4096, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	abi_check("mem_map: 8 KiB RW -> an address, err 0", p != NULL && err == 0, 1);
	abi_check("mem_map: page aligned", ((uintptr_t)p & 4095) == 0, 1);
	abi_check("mem_map: zeroed", p && p[0] == 0 && p[2 * 4096 - 1] == 0, 1);
	if (p)
		p[4096] = 1;
	abi_check("mem_map: len 0 -> EINVAL", keel_syscall6(KEEL_SYS_MEM_MAP, 0, KEEL_PROT_READ, 0, 0, 0, 0),
		  KEEL_EINVAL);
	abi_check("mem_map: W+X -> EINVAL",
		  keel_syscall6(KEEL_SYS_MEM_MAP, 4096, KEEL_PROT_WRITE | KEEL_PROT_EXEC, 0, 0, 0, 0), KEEL_EINVAL);
	abi_check("mem_map: unknown prot bit 8 -> EINVAL", keel_syscall6(KEEL_SYS_MEM_MAP, 4096, 8, 0, 0, 0, 0),
		  KEEL_EINVAL);
	abi_check("mem_map: 1 TiB, over the memory= limit -> ENOMEM",
		  keel_syscall6(KEEL_SYS_MEM_MAP, 1l << 40, KEEL_PROT_READ, 0, 0, 0, 0), KEEL_ENOMEM);
	abi_check("mem_map: the error form sets *err", keel_mem_map(0, KEEL_PROT_READ, &err) == NULL &&
		  err == KEEL_EINVAL, 1);
	abi_check("mem_unmap: unaligned -> EINVAL", keel_mem_unmap(p + 1, 4096), KEEL_EINVAL);
	abi_check("mem_unmap: len 0 -> EINVAL", keel_mem_unmap(p, 0), KEEL_EINVAL);
	abi_check("mem_unmap: wrapping -> EINVAL", keel_mem_unmap((void *)-4096l, 8192), KEEL_EINVAL);
	abi_check("mem_unmap: the first page -> 0", keel_mem_unmap(p, 4096), 0);
	abi_check("mem_unmap: it again, no longer mapped -> EINVAL", keel_mem_unmap(p, 4096), KEEL_EINVAL);
	abi_check("mem_unmap: a range with a hole -> EINVAL", keel_mem_unmap(p, 2 * 4096), KEEL_EINVAL);
	abi_check("mem_unmap: the second page kept its contents", p[4096], 1);
	abi_check("mem_unmap: the second page -> 0", keel_mem_unmap(p + 4096, 4096), 0);
	abi_check("mmio_map: no device= capability -> EPERM", keel_mmio_map(0, 0, 4096, &err) == NULL &&
		  err == KEEL_EPERM, 1);
	abi_check("dma_alloc: no device= capability -> EPERM",
		  keel_syscall6(KEEL_SYS_DMA_ALLOC, 4096, (long)big, 0, 0, 0, 0), KEEL_EPERM);
}

static void calls_rest(void)
{
	keel_handle_t hs[KEEL_MAX_HANDLES + 1] = {0};
	uint8_t report[64] = {0};
	abi_check("attest_report: no cap=attest -> EPERM", keel_attest_report(report, big, 4096), KEEL_EPERM);
	abi_check("attest_report: no cap=attest, bad buffers -> EPERM (checked first)",
		  keel_attest_report((const void *)unmapped, (void *)unmapped, 4096), KEEL_EPERM);
	abi_check_mode("set_tls: non-canonical 1<<63 -> EINVAL booted, ENOTSUP hosted (glibc owns FS)",
		       keel_set_tls(1ull << 63), KEEL_EINVAL, KEEL_ENOTSUP);
	abi_check("wait: n = 65 -> EINVAL", keel_wait(hs, KEEL_MAX_HANDLES + 1, KEEL_WAIT_POLL), KEEL_EINVAL);
	abi_check("wait: NULL handles -> EFAULT", keel_wait(NULL, 1, KEEL_WAIT_POLL), KEEL_EFAULT);
	abi_check("wait: unmapped handles -> EFAULT",
		  keel_wait((const keel_handle_t *)unmapped, 2, KEEL_WAIT_POLL), KEEL_EFAULT);
	abi_check("wait: non-canonical handles -> EFAULT",
		  keel_wait((const keel_handle_t *)noncanon, 1, KEEL_WAIT_POLL), KEEL_EFAULT);
	abi_check("wait: no handles given (slot 1) -> EBADHANDLE",
		  keel_wait((const keel_handle_t[]){1}, 1, KEEL_WAIT_POLL), KEEL_EBADHANDLE);
	abi_check("recv: no handles given -> EBADHANDLE", keel_chan_recv(1, big, 64), KEEL_EBADHANDLE);
	abi_check("reply: no handles given -> EBADHANDLE", keel_chan_reply(1, big, 8), KEEL_EBADHANDLE);
	abi_check("handle_close: slot 0 never given -> EBADHANDLE", keel_handle_close(0), KEEL_EBADHANDLE);
	abi_check("irq_bind: no device= capability -> EPERM", keel_irq_bind(0), KEEL_EPERM);
	abi_check("irq_ack: slot 0 never given -> EBADHANDLE", keel_irq_ack(0), KEEL_EBADHANDLE);
	abi_check("syscall: KEEL_SYS_COUNT -> ENOSYS", keel_syscall6(KEEL_SYS_COUNT, 0, 0, 0, 0, 0, 0),
		  KEEL_ENOSYS);
	abi_check("syscall: -1 -> ENOSYS", keel_syscall6(-1, 0, 0, 0, 0, 0, 0), KEEL_ENOSYS);
	abi_check("syscall: (1<<32)|LOG -> ENOSYS (bits above 31)",
		  keel_syscall6((1l << 32) | KEEL_SYS_LOG, (long)"x", 1, 0, 0, 0, 0), KEEL_ENOSYS);
	abi_check("syscall: (1<<32)|EXIT -> ENOSYS, and we are still here",
		  keel_syscall6((1l << 32) | KEEL_SYS_EXIT, 9, 0, 0, 0, 0, 0), KEEL_ENOSYS);
	abi_check("syscall: raw LOG by number -> 1", keel_syscall6(KEEL_SYS_LOG, (long)"y", 1, 0, 0, 0, 0), 1);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "death"))
		death();
	else if (!strcmp(mode, "size"))
		size();
	else if (!strcmp(mode, "handles"))
		handles();
	else if (!strcmp(mode, "wait"))
		wait_peer();
	else if (!strcmp(mode, "fault"))
		fault();
	else if (!strcmp(mode, "cross"))
		cross();
	else if (!strcmp(mode, "calls")) {
		calls_log_random_time();
		calls_memory();
		calls_rest();
	}
	else
		abi_check("known mode", 0, 1);
	return abi_status();
}
