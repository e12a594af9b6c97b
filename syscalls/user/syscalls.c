/*
 * Ring-3 side of the Keel syscall ABI (syscalls/include/keel/syscall.h):
 * one stub per call, each a single `syscall` instruction. RAX = number;
 * arguments in RDI, RSI, RDX, R10, R8, R9; result in RAX (negative KEEL_E*).
 * RCX and R11 are clobbered by the instruction; memory is clobbered because
 * the kernel reads and writes our buffers.
 */
#include <keel/syscall.h>

static inline long ksys(long nr, long a0, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

long keel_log(const char *buf, size_t len)
{
	return ksys(KEEL_SYS_LOG, (long)buf, (long)len, 0, 0, 0);
}

_Noreturn void keel_exit(int status)
{
	ksys(KEEL_SYS_EXIT, status, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("ud2");
}

/* Maps a user address result: NULL + *err on a negative KEEL_E*. */
static void *addr_result(long r, long *err)
{
	if (r < 0 && r >= -4095) {
		if (err)
			*err = r;
		return NULL;
	}
	if (err)
		*err = KEEL_OK;
	return (void *)r;
}

void *keel_mem_map(size_t len, uint32_t prot, long *err)
{
	return addr_result(ksys(KEEL_SYS_MEM_MAP, (long)len, (long)prot, 0, 0, 0), err);
}

long keel_mem_unmap(void *addr, size_t len)
{
	return ksys(KEEL_SYS_MEM_UNMAP, (long)addr, (long)len, 0, 0, 0);
}

void *keel_mmio_map(uint32_t device, uint64_t offset, size_t len, long *err)
{
	return addr_result(ksys(KEEL_SYS_MMIO_MAP, (long)device, (long)offset, (long)len, 0, 0), err);
}

void *keel_dma_alloc(size_t len, uint64_t *phys_out, long *err)
{
	return addr_result(ksys(KEEL_SYS_DMA_ALLOC, (long)len, (long)phys_out, 0, 0, 0), err);
}

long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap)
{
	return ksys(KEEL_SYS_CHAN_CALL, (long)h, (long)req, (long)req_len, (long)rsp, (long)rsp_cap);
}

long keel_chan_recv(keel_handle_t h, void *buf, size_t cap)
{
	return ksys(KEEL_SYS_CHAN_RECV, (long)h, (long)buf, (long)cap, 0, 0);
}

long keel_chan_reply(keel_handle_t h, const void *buf, size_t len)
{
	return ksys(KEEL_SYS_CHAN_REPLY, (long)h, (long)buf, (long)len, 0, 0);
}

long keel_chan_reply_recv(keel_handle_t h, const void *out, size_t out_len, void *buf, size_t cap)
{
	return ksys(KEEL_SYS_CHAN_REPLY_RECV, (long)h, (long)out, (long)out_len, (long)buf, (long)cap);
}

long keel_wait(const keel_handle_t *handles, size_t n, uint64_t timeout_ns)
{
	return ksys(KEEL_SYS_WAIT, (long)handles, (long)n, (long)timeout_ns, 0, 0);
}

long keel_handle_close(keel_handle_t h)
{
	return ksys(KEEL_SYS_HANDLE_CLOSE, (long)h, 0, 0, 0, 0);
}

int64_t keel_time(uint32_t clock)
{
	return ksys(KEEL_SYS_TIME, (long)clock, 0, 0, 0, 0);
}

long keel_random(void *buf, size_t len)
{
	return ksys(KEEL_SYS_RANDOM, (long)buf, (long)len, 0, 0, 0);
}

long keel_attest_report(const void *report_data64, void *out, size_t cap)
{
	return ksys(KEEL_SYS_ATTEST_REPORT, (long)report_data64, (long)out, (long)cap, 0, 0);
}

long keel_set_tls(uint64_t fs_base)
{
	return ksys(KEEL_SYS_SET_TLS, (long)fs_base, 0, 0, 0, 0);
}

long keel_yield(void)
{
	return ksys(KEEL_SYS_YIELD, 0, 0, 0, 0, 0);
}

long keel_irq_bind(uint32_t device)
{
	return ksys(KEEL_SYS_IRQ_BIND, (long)device, 0, 0, 0, 0);
}

long keel_irq_ack(keel_handle_t h)
{
	return ksys(KEEL_SYS_IRQ_ACK, (long)h, 0, 0, 0, 0);
}

int keel_task_data(const void **data, size_t *size)
{
	return (int)ksys(KEEL_SYS_TASK_DATA, (long)data, (long)size, 0, 0, 0);
}
