/*
 * The task-facing Keel API. Ring-3 tasks get these from syscalls/user
 * (the `syscall` instruction); hosted processes get them from
 * syscalls/hosted (Linux sockets, mmap, getrandom). A service includes
 * only this header and is built both ways without change.
 */
#ifndef KEEL_SYSCALL_H
#define KEEL_SYSCALL_H

#include <stdarg.h>

#include <keel/errors.h>
#include <keel/msg.h>
#include <keel/syscall_numbers.h>
#include <keel/task_data.h>
#include <keel/types.h>

long keel_log(const char *buf, size_t len);
/*
 * keel_log of a printf-formatted line (syscalls/user/logf.c, built into both
 * runtimes): at most KEEL_LOGF_MAX - 1 bytes, longer lines cut. keel_vlogf
 * puts `prefix` (may be NULL) in front.
 */
#define KEEL_LOGF_MAX 320
void keel_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void keel_vlogf(const char *prefix, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
_Noreturn void keel_exit(int status);
void *keel_mem_map(size_t len, uint32_t prot, long *err);
long keel_mem_unmap(void *addr, size_t len);
void *keel_mmio_map(uint32_t device, uint64_t offset, size_t len, long *err);
void *keel_dma_alloc(size_t len, uint64_t *phys_out, long *err);

/* Send `req` on `h` and block for the reply; returns the reply length. */
long keel_chan_call(keel_handle_t h, const void *req, size_t req_len, void *rsp, size_t rsp_cap);
/* Block until the peer calls on `h`; returns the request length. */
long keel_chan_recv(keel_handle_t h, void *buf, size_t cap);
/* Answer the request last received on `h`. */
long keel_chan_reply(keel_handle_t h, const void *buf, size_t len);
/*
 * A server loop's one call per request: keel_chan_reply(h, out, out_len),
 * then, if it succeeded, keel_chan_recv(h, buf, cap); returns the next
 * request's length or the first error. Both buffers are checked before
 * the reply is made (docs/abi.md).
 */
long keel_chan_reply_recv(keel_handle_t h, const void *out, size_t out_len, void *buf, size_t cap);
/* Block until one of `handles` is ready (a call pending, the peer gone, an interrupt
 * fired); returns its index. */
long keel_wait(const keel_handle_t *handles, size_t n, uint64_t timeout_ns);
long keel_handle_close(keel_handle_t h);

/* Bind the interrupt of the task's device= grant `device`; returns a handle
 * keel_wait accepts (ready once the device interrupted). */
long keel_irq_bind(uint32_t device);
/* Re-arm the interrupt after handling it: clears ready, unmasks the line. */
long keel_irq_ack(keel_handle_t h);

/* Nanoseconds on `clock` (KEEL_CLOCK_*), or a negative KEEL_E*. */
int64_t keel_time(uint32_t clock);
long keel_random(void *buf, size_t len);
long keel_attest_report(const void *report_data64, void *out, size_t cap);
long keel_set_tls(uint64_t fs_base);
long keel_yield(void);

/* Raw entry, for tests that pass deliberately bad arguments. */
long keel_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#endif
