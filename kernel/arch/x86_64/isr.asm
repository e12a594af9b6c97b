; Interrupt and exception entry stubs, the common entry, and trap_return.
; Every stub leaves the same frame (struct trap_frame, arch/x86_64/trap.h):
; CPU frame, error code (0 if the CPU pushes none), vector, then the GPRs.
; swapgs only when coming from ring 3, so GS is always the kernel's inside.

bits 64
%include "regs.inc"
section .text

extern trap_dispatch
global trap_return

%macro STUB 1
isr_%1:
%if (%1 == 8) || (%1 == 10) || (%1 == 11) || (%1 == 12) || (%1 == 13) || (%1 == 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
%else
	push qword 0
%endif
	push qword %1
	jmp isr_common
%endmacro

%assign i 0
%rep 256
STUB i
%assign i i+1
%endrep

isr_common:
	test qword [rsp + 24], 3 ; saved CS: from ring 3?
	jz .kernel
	swapgs
.kernel:
	PUSH_GPRS
	cld
	mov rdi, rsp
	call trap_dispatch
trap_return:
	POP_GPRS
	add rsp, 16 ; vector, error code
	test qword [rsp + 8], 3
	jz .kernel_ret
	swapgs
.kernel_ret:
	iretq

section .rodata
global isr_stub_table
isr_stub_table:
%assign i 0
%rep 256
	dq isr_ %+ i
%assign i i+1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
