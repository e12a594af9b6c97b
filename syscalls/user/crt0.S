/*
 * Ring-3 task entry. The kernel enters here with RDI = argc, RSI = argv,
 * RSP 16-byte aligned and FS already pointing at the TCB (canary at
 * %fs:0x28). We clear RBP so backtraces end here and hand over to libc,
 * which runs main and calls keel_exit; it never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call keel_libc_start
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
