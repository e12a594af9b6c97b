/*
 * Syscall numbers (docs/architecture.md §6, docs/abi.md). RAX = number; arguments in
 * RDI, RSI, RDX, R10, R8, R9; result in RAX (negative = KEEL_E*).
 * Numbers are never reused: retire a call by leaving its slot empty.
 */
#ifndef KEEL_SYSCALL_NUMBERS_H
#define KEEL_SYSCALL_NUMBERS_H

#define KEEL_SYS_LOG 0          /* (const char *buf, size_t len) -> len */
#define KEEL_SYS_EXIT 1         /* (int status) -> does not return */
#define KEEL_SYS_MEM_MAP 2      /* (size_t len, uint32_t prot) -> user address */
#define KEEL_SYS_MEM_UNMAP 3    /* (void *addr, size_t len) -> 0 */
#define KEEL_SYS_MMIO_MAP 4     /* (uint32_t device, uint64_t offset, size_t len) -> user address */
#define KEEL_SYS_DMA_ALLOC 5    /* (size_t len, uint64_t *phys_out) -> user address */
#define KEEL_SYS_CHAN_CALL 6    /* (handle, const void *req, size_t req_len, void *rsp, size_t rsp_cap) -> rsp_len */
#define KEEL_SYS_CHAN_RECV 7    /* (handle, void *buf, size_t cap) -> len */
#define KEEL_SYS_CHAN_REPLY 8   /* (handle, const void *buf, size_t len) -> 0 */
#define KEEL_SYS_WAIT 9         /* (const keel_handle_t *handles, size_t n, uint64_t timeout_ns) -> index */
#define KEEL_SYS_HANDLE_CLOSE 10 /* (handle) -> 0 */
#define KEEL_SYS_TIME 11        /* (uint32_t clock) -> nanoseconds */
#define KEEL_SYS_RANDOM 12      /* (void *buf, size_t len) -> len */
#define KEEL_SYS_ATTEST_REPORT 13 /* (const void *report_data64, void *out, size_t cap) -> len */
#define KEEL_SYS_SET_TLS 14     /* (uint64_t fs_base) -> 0 */
#define KEEL_SYS_YIELD 15       /* () -> 0 */

#define KEEL_SYS_COUNT 16

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
