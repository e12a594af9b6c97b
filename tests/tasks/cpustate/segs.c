/*
 * Mode segs (booted only: a Linux process's FS selector belongs to glibc):
 * point FS at another page with keel_set_tls, load DS, ES, GS and then FS
 * with the user data selector, and yield and spin (timer interrupts) with
 * all of that loaded. The keeper must still see null selectors and its own
 * FS base. Runs in asm: C code here would read its stack canary at %fs:0x28.
 */
#include <string.h>

#include "cpustate.h"

#define SEGS_SPIN 20000000ull
#define USER_DATA_SELECTOR 0x1bu

void cs_segs(uint64_t other_tls, uint64_t own_tls, uint64_t spin);
__asm__(".text\n"
        ".globl cs_segs\n"
        "cs_segs:\n\t"
        "pushq %rbx\n\t"
        "pushq %r12\n\t"
        "pushq %r13\n\t"
        "movq %rdi, %rbx\n\t"
        "movq %rsi, %r12\n\t"
        "movq %rdx, %r13\n\t"
        "movl $14, %eax\n\t" /* KEEL_SYS_SET_TLS */
        "movq %rbx, %rdi\n\t"
        "syscall\n\t"
        "movl $0x1b, %r8d\n\t"
        "movl %r8d, %ds\n\t"
        "movl %r8d, %es\n\t"
        "movl %r8d, %gs\n\t"
        "movl $15, %eax\n\t" /* KEEL_SYS_YIELD */
        "syscall\n\t"
        "movq %r13, %rax\n"
        "1:\n\t"
        "decq %rax\n\t"
        "jnz 1b\n\t"
        "movl $0x1b, %r8d\n\t"
        "movl %r8d, %ds\n\t"
        "movl %r8d, %es\n\t"
        "movl %r8d, %gs\n\t"
        "movl %r8d, %fs\n\t"
        "movl $15, %eax\n\t"
        "syscall\n\t"
        "movq %r13, %rax\n"
        "2:\n\t"
        "decq %rax\n\t"
        "jnz 2b\n\t"
        "xorl %r8d, %r8d\n\t"
        "movl %r8d, %ds\n\t"
        "movl %r8d, %es\n\t"
        "movl %r8d, %fs\n\t"
        "movl %r8d, %gs\n\t"
        "movl $14, %eax\n\t"
        "movq %r12, %rdi\n\t"
        "syscall\n\t"
        "popq %r13\n\t"
        "popq %r12\n\t"
        "popq %rbx\n\t"
        "ret\n");

void cs_segs_mode(void)
{
	long err, r;
	uint64_t *other = keel_mem_map(4096, KEEL_PROT_READ | KEEL_PROT_WRITE, &err);
	uint64_t own = cs_fs0();
	uint8_t buf[64];
	struct keel_msg pong = {CS_OP_PING, 0};

	if (!tcheck_true("mem_map a page for a foreign FS base", other != NULL))
		return;
	for (int i = 0; i < 512; i++)
		other[i] = 0x5e65000000000000ull + (uint64_t)i; /* what %fs:0 would read there */
	tlog(tcheck_prefix, "loading selectors and a foreign FS base, then yielding and spinning");
	cs_segs((uint64_t)(uintptr_t)other, own, SEGS_SPIN);
	tcheck_eq("own FS base back (%fs:0 is our thread pointer)", (long)cs_fs0(), (long)own);
	r = cs_keeper_call(CS_OP_CALL_ME, 0, 0);
	tcheck_eq("chan_call CALL_ME", r, sizeof(struct keel_msg));
	r = keel_chan_recv(CS_HOSTILE_CALLBACK_SLOT, buf, sizeof(buf));
	tcheck_eq("chan_recv the keeper's callback", r, sizeof(struct keel_msg));
	tcheck_eq("chan_reply", keel_chan_reply(CS_HOSTILE_CALLBACK_SLOT, &pong, sizeof(pong)), 0);
}
