/*
 * The hostile task: one binary, one attack per run, chosen by argv[1]
 * (see the mode table in main.c). Fatal modes must end in a kill
 * (manifest expect=fault); the others check every syscall result and exit
 * 0 only if every expectation held (tlog.h's tcheck_*).
 */
#ifndef KEEL_TESTS_HOSTILE_H
#define KEEL_TESTS_HOSTILE_H

#include <keel/syscall.h>

#include "../victim/victim_proto.h"
#include "tlog.h"

/* Addresses no task may touch. */
#define HOSTILE_KERNEL_TEXT 0xffffffff81000000ull
#define HOSTILE_DIRECT_MAP 0xffff800000000000ull
#define HOSTILE_NONCANON_LOW 0x0000800000000000ull /* first non-canonical address */
#define HOSTILE_NONCANON_HIGH 0x8000000000000000ull

/*
 * Sends op with `len` payload bytes to the victim and returns the reply
 * length (or a KEEL_E*); the reply lands in rsp (cap bytes).
 */
long hostile_victim_call(uint32_t op, const void *payload, uint32_t len, void *rsp, size_t cap);

/* Fatal modes (fatal.c). */
void mode_read_kernel(void);
void mode_read_directmap(void);
void mode_write_kernel(void);
void mode_exec_data(void);
void mode_exec_mapped(void);
void mode_write_code(void);
void mode_write_victim(void);

/* Checked modes. */
void mode_bad_pointers(void);  /* badptr.c: booted only */
void mode_huge_lengths(void);  /* lengths.c */
void mode_oversize_msg(void);  /* lengths.c */
void mode_bad_handles(void);   /* handles.c */
void mode_exhaust_mem(void);   /* exhaust.c */
void mode_spin(void);          /* spin.c */
void mode_tick(void);          /* spin.c */

#endif
