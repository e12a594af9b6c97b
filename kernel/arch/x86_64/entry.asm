; Kernel entry from the IGVM NATIVE VP context (docs/boot.md): 64-bit mode,
; RDI = boot info GPA, RSP = boot stack in identity-mapped low memory,
; CR3 = boot tables, interrupts off. We move to a stack inside the kernel
; image (the low identity map disappears when the kernel's own tables are
; loaded) and call kernel_main(boot_info_gpa).

bits 64
section .text.entry
global kernel_entry
extern kernel_main

BOOT_STACK_SIZE equ 16384

kernel_entry:
	cli
	cld
	lea rsp, [rel boot_stack_top]
	xor ebp, ebp
	call kernel_main
.hang:
	hlt
	jmp .hang

section .bss
align 4096
boot_stack:
	resb BOOT_STACK_SIZE
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
