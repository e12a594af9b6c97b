/*
 * The test guest's entry (docs/guest.md): RDI = secrets page GPA, RSI =
 * command line GPA, RSP = top of the stack the kernel left below the
 * fixed pages. guest_main's return value is the exit status: HLT at CPL3
 * with RAX = status is the guest's exit.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	andq $-16, %rsp
	call guest_main
	movslq %eax, %rax
1:	hlt
	jmp 1b
