/*
 * setjmp/longjmp with glibc's x86-64 jmp_buf layout: eight words
 * rbx rbp r12 r13 r14 r15 rsp rip, then __mask_was_saved (int at 64).
 * No pointer mangling: only this libc reads the buffer. Signal masks do
 * not exist in a Keel task, so __sigsetjmp records "mask not saved".
 * glibc's <setjmp.h> maps setjmp to _setjmp and longjmp calls built with
 * fortify to __longjmp_chk; all names are provided.
 */
	.text
	.globl setjmp, _setjmp, __sigsetjmp, sigsetjmp
	.type setjmp, @function
	.type _setjmp, @function
	.type __sigsetjmp, @function
	.type sigsetjmp, @function
setjmp:
_setjmp:
__sigsetjmp:
sigsetjmp:
	mov %rbx, 0(%rdi)
	mov %rbp, 8(%rdi)
	mov %r12, 16(%rdi)
	mov %r13, 24(%rdi)
	mov %r14, 32(%rdi)
	mov %r15, 40(%rdi)
	lea 8(%rsp), %rdx	/* caller's rsp after our return */
	mov %rdx, 48(%rdi)
	mov (%rsp), %rdx	/* return address */
	mov %rdx, 56(%rdi)
	movl $0, 64(%rdi)
	xor %eax, %eax
	ret
	.size setjmp, . - setjmp

	.globl longjmp, _longjmp, siglongjmp, __longjmp_chk
	.type longjmp, @function
	.type _longjmp, @function
	.type siglongjmp, @function
	.type __longjmp_chk, @function
longjmp:
_longjmp:
siglongjmp:
__longjmp_chk:
	mov %esi, %eax
	test %eax, %eax
	jnz 1f
	inc %eax		/* longjmp(env, 0) returns 1 */
1:
	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	jmp *56(%rdi)
	.size longjmp, . - longjmp

	.section .note.GNU-stack, "", @progbits
