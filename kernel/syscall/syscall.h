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

/* One handler per entry of KEEL_SYSCALLS (keel/syscall_numbers.h): long sys_NAME(args). */
#define SYSCALL_DECLARE_(nr, NAME, name, nargs) long sys_##name(const struct syscall_args *a);
KEEL_SYSCALLS(SYSCALL_DECLARE_)
#undef SYSCALL_DECLARE_

extern const syscall_fn syscall_table[KEEL_SYS_COUNT];

#endif
