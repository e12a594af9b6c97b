/*
 * Syscall numbers (docs/architecture.md §6, docs/abi.md). RAX = number; arguments in
 * RDI, RSI, RDX, R10, R8, R9; result in RAX (negative = KEEL_E*).
 * Numbers are never reused: retire a call by leaving its slot empty.
 */
#ifndef KEEL_SYSCALL_NUMBERS_H
#define KEEL_SYSCALL_NUMBERS_H

/*
 * The one list of syscalls: X(number, NAME, name, arguments). It makes the
 * KEEL_SYS_NAME numbers below (used by the ring-3 stubs), the kernel's
 * table (kernel/syscall/table.c: sys_name) and the hosted shim's
 * (syscalls/hosted/sys.c: hosted_sys_name), so a call added here without
 * a kernel or a hosted implementation does not link.
 */
#define KEEL_SYSCALLS(X)                                                                           \
	X(0, LOG, log, 2)                     /* (const char *buf, size_t len) -> len */             \
	X(1, EXIT, exit, 1)                   /* (int status) -> does not return */                  \
	X(2, MEM_MAP, mem_map, 2)             /* (size_t len, uint32_t prot) -> user address */      \
	X(3, MEM_UNMAP, mem_unmap, 2)         /* (void *addr, size_t len) -> 0 */                    \
	X(4, MMIO_MAP, mmio_map, 3)           /* (uint32_t device, uint64_t offset, size_t len) -> address */ \
	X(5, DMA_ALLOC, dma_alloc, 2)         /* (size_t len, uint64_t *phys_out) -> user address */ \
	X(6, CHAN_CALL, chan_call, 5)         /* (h, const void *req, size_t req_len, void *rsp, size_t rsp_cap) -> rsp_len */ \
	X(7, CHAN_RECV, chan_recv, 3)         /* (h, void *buf, size_t cap) -> len */                \
	X(8, CHAN_REPLY, chan_reply, 3)       /* (h, const void *buf, size_t len) -> 0 */            \
	X(9, WAIT, wait, 3)                   /* (const keel_handle_t *handles, size_t n, uint64_t timeout_ns) -> index */ \
	X(10, HANDLE_CLOSE, handle_close, 1)  /* (h) -> 0 */                                         \
	X(11, TIME, time, 1)                  /* (uint32_t clock) -> nanoseconds */                  \
	X(12, RANDOM, random, 2)              /* (void *buf, size_t len) -> len */                   \
	X(13, ATTEST_REPORT, attest_report, 3) /* (const void *report_data64, void *out, size_t cap) -> len */ \
	X(14, SET_TLS, set_tls, 1)            /* (uint64_t fs_base) -> 0 */                          \
	X(15, YIELD, yield, 0)                /* () -> 0 */                                          \
	X(16, IRQ_BIND, irq_bind, 1)          /* (uint32_t device) -> handle */                      \
	X(17, IRQ_ACK, irq_ack, 1)            /* (keel_handle_t h) -> 0 */                           \
	X(18, TASK_DATA, task_data, 2)        /* (const void **data_out, size_t *size_out) -> 0 */     \
	X(19, CHAN_REPLY_RECV, chan_reply_recv, 5) /* (h, const void *out, size_t out_len, void *buf, size_t cap) -> len */

#define KEEL_SYS_NUMBER_(nr, NAME, name, nargs) KEEL_SYS_##NAME = (nr),
enum keel_sys_number { KEEL_SYSCALLS(KEEL_SYS_NUMBER_) };
#undef KEEL_SYS_NUMBER_

/* One more than the highest number: the size of a dispatch table. */
#define KEEL_SYS_COUNT 20

/* KEEL_SYS_MEM_MAP prot bits. Writable and executable together is refused (W^X). */
#define KEEL_PROT_READ 1u
#define KEEL_PROT_WRITE 2u
#define KEEL_PROT_EXEC 4u

/* KEEL_SYS_TIME clocks. */
#define KEEL_CLOCK_MONOTONIC 0u
#define KEEL_CLOCK_REALTIME 1u

/* KEEL_SYS_WAIT timeouts. */
#define KEEL_WAIT_POLL 0ull
#define KEEL_WAIT_FOREVER (~0ull)

/* Largest single KEEL_SYS_LOG / KEEL_SYS_RANDOM request. */
#define KEEL_LOG_MAX 4096u
#define KEEL_RANDOM_MAX 4096u

#endif
