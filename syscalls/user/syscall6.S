/*
 * long keel_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
 * Raw Keel syscall: RAX = nr; arguments in RDI, RSI, RDX, R10, R8, R9;
 * result in RAX. The `syscall` instruction clobbers RCX and R11.
 * The seventh C argument (a5) arrives on the stack.
 */
	.text
	.globl keel_syscall6
	.type keel_syscall6, @function
keel_syscall6:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
	syscall
	ret
	.size keel_syscall6, . - keel_syscall6

	.section .note.GNU-stack, "", @progbits
