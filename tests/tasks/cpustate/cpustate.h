/*
 * The CPU-state tests (docs/kernel.md "CPU state on entry and switch";
 * tests/system/cpustate-booted.sh, tests/hosted/cpustate-hosted.sh). One
 * binary, the mode in argv[1] (main.c):
 *   keeper:N   keeps its own RFLAGS (AC, DF), MXCSR, x87 FCW, selectors
 *              and FS base, serves N hostiles, checks its state after
 *              every syscall while they run (keeper.c)
 *   spinner:MS the same checks while it spins without syscalls for MS
 *              milliseconds: it is preempted, so the kernel resumes it
 *              with iretq. Placed right after a hostile in the manifest,
 *              it is what round robin runs when that hostile blocks.
 *   nt ac df iopl
 *              sets that RFLAGS bit (popf) and spins, yields, calls the
 *              keeper and replies to it, then faults with it set (flags.c)
 *   tf-yield tf-call tf-reply
 *              sets TF for one syscall; the single-step trap after it ends
 *              the task (its own #DB), the kernel and keeper go on
 *   segs       loads DS/ES/FS/GS and moves its FS base, then yields
 *   dr7 xsetbv wrgsbase
 *              privileged per-CPU state a task may not touch: killed
 *   service    serves SVSM protocol CPUSTATE_PROTOCOL, replying to the
 *              guest with dangerous flags set (service.c)
 */
#ifndef KEEL_TESTS_CPUSTATE_H
#define KEEL_TESTS_CPUSTATE_H

#include <stdint.h>

#include <keel/msg.h>
#include <keel/syscall.h>

#include "../hostile/tlog.h"

#define CS_RFLAGS_TF (1ull << 8)
#define CS_RFLAGS_DF (1ull << 10)
#define CS_RFLAGS_IOPL (3ull << 12)
#define CS_RFLAGS_NT (1ull << 14)
#define CS_RFLAGS_AC (1ull << 18)

/* Keeper protocol: hostile slot 1 <-> keeper slot i; keeper slot CS_CALLBACK_BASE + i <-> hostile
 * slot 2. */
#define CS_KEEPER_SLOT 1u
#define CS_HOSTILE_CALLBACK_SLOT 2u
#define CS_CALLBACK_BASE 20u
enum cs_op {
	CS_OP_PING = KEEL_OP_SERVICE_BASE, /* reply empty */
	CS_OP_CALL_ME,                     /* reply empty, then the keeper calls back with PING */
};

/* The keeper's own values (none is a default). */
#define CS_KEEPER_MXCSR 0xffc0u /* FZ, round toward zero, DAZ, all masked */
#define CS_KEEPER_FCW 0x0e7fu   /* round toward zero, 53-bit precision, all masked */
/* What a hostile loads instead. */
#define CS_HOSTILE_MXCSR 0x3f80u
#define CS_HOSTILE_FCW 0x007fu

/* The SVSM protocol the service serves (manifest protocol=) and its calls. */
#define CS_PROTOCOL 12u
#define CS_CALL_NT 0u
#define CS_CALL_AC 1u
#define CS_CALL_DF 2u
#define CS_CALL_IOPL 3u
#define CS_CALL_ALL 4u
#define CS_CALL_FAULT 9u /* the service sets NT and faults instead of replying */
#define CS_REPLY_RCX(call) (0xc5000000u + (call))

/*
 * A Keel syscall made with extra RFLAGS bits set (cpu.c). Hosted, the Keel
 * call is a library call and the bits are set for a Linux sched_yield
 * right after it instead (so the task's own flags still cross a kernel
 * entry and a switch); c->after is RFLAGS after that.
 */
struct cs_call {
	long nr;
	long a[5];
	uint64_t set;   /* OR-ed into RFLAGS just before SYSCALL */
	uint64_t after; /* RFLAGS right after it returned */
};
long cs_syscall(struct cs_call *c);
/* The SYSCALL instruction itself with c->nr (booted: the Keel call; hosted: a Linux one). */
long cs_raw_syscall(struct cs_call *c);
/* Sets `set` in RFLAGS and runs ud2. */
void cs_fault_with(uint64_t set);
/* Sets `set`, spins `loops` times, returns RFLAGS as the loop ended, restores. */
uint64_t cs_spin_with(uint64_t set, uint64_t loops);
uint64_t cs_rflags(void);
/* ORs `set` into RFLAGS and leaves it there. */
void cs_set_flags(uint64_t set);
uint32_t cs_mxcsr(void);
void cs_set_mxcsr(uint32_t v);
uint16_t cs_fcw(void);
void cs_set_fcw(uint16_t v);
/* DS, ES, FS, GS selectors, packed 16 bits each. */
uint64_t cs_selectors(void);
/* The qword at %fs:0 (the TCB self pointer; our own thread pointer). */
uint64_t cs_fs0(void);
/* 1 when running hosted (a Linux process: CS is Linux's 0x33, not Keel's 0x23). */
int cs_hosted(void);

/* keeper.c, flags.c, service.c */
int cs_keeper(unsigned peers);
int cs_spinner(unsigned ms);
void cs_flag_mode(const char *name);
void cs_fatal_mode(const char *name);
void cs_segs_mode(void);
int cs_service(void);

/* The hostile side of the keeper protocol. */
long cs_keeper_call(uint32_t op, uint64_t set, uint64_t *after);

#endif
