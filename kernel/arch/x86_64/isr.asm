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

; The CPU cleared TF, NT and RF (and IF: interrupt gates) but not AC, DF
; or IOPL: load the kernel's RFLAGS whole, so no flag of the interrupted
; context (a task's AC would switch SMAP off) runs kernel code.
isr_common:
	test qword [rsp + 24], 3 ; saved CS: from ring 3?
	jz .kernel
	swapgs
.kernel:
	push qword RFLAGS_KERNEL
	popfq
	PUSH_GPRS
	mov rdi, rsp
	call trap_dispatch
; To ring 3: the saved RFLAGS keep only the task's own flags (no IOPL, NT,
; RF, VM), with IF on. To ring 0: as saved (always RFLAGS_KERNEL here).
trap_return:
	POP_GPRS
	add rsp, 16 ; vector, error code
	test qword [rsp + 8], 3
	jz .kernel_ret
	and qword [rsp + 16], RFLAGS_USER
	or qword [rsp + 16], RFLAGS_TO_USER
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
