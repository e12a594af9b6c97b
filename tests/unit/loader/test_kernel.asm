; A tiny 64-bit "kernel" for igvm-build tests: linked like Keel's kernel
; (VMA 0xffffffff81000000, LMA 0x01000000) with text, data and .bss.
bits 64
section .text
global _start
_start:
	mov rax, 0x4b45454c
	hlt
	jmp _start
section .data
	dq 0x1122334455667788
section .bss
	resb 12288
