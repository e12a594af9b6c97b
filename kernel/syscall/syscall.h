/*
 * The syscall layer: one handler per number in keel/syscall_numbers.h,
 * each decoding and checking every argument before it acts.
 */
#ifndef KEEL_SYSCALL_SYSCALL_H
#define KEEL_SYSCALL_SYSCALL_H

#include <stdint.h>

#include <keel/errors.h>
#include <keel/syscall_numbers.h>

struct syscall_args {
	uint64_t a[6]; /* RDI, RSI, RDX, R10, R8, R9 */
};

typedef long (*syscall_fn)(const struct syscall_args *a);

long sys_log(const struct syscall_args *a);
long sys_exit(const struct syscall_args *a);
long sys_mem_map(const struct syscall_args *a);
long sys_mem_unmap(const struct syscall_args *a);
long sys_mmio_map(const struct syscall_args *a);
long sys_dma_alloc(const struct syscall_args *a);
long sys_chan_call(const struct syscall_args *a);
long sys_chan_recv(const struct syscall_args *a);
long sys_chan_reply(const struct syscall_args *a);
long sys_wait(const struct syscall_args *a);
long sys_handle_close(const struct syscall_args *a);
long sys_time(const struct syscall_args *a);
long sys_random(const struct syscall_args *a);
long sys_attest_report(const struct syscall_args *a);
long sys_set_tls(const struct syscall_args *a);
long sys_yield(const struct syscall_args *a);

extern const syscall_fn syscall_table[KEEL_SYS_COUNT];

#endif
