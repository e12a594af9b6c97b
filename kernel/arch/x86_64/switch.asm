; void context_switch(uint64_t *save_rsp, uint64_t new_rsp)
; Saves the callee-saved registers on the current kernel stack, stores the
; stack pointer, and resumes the other kernel stack where it left off (or,
; for a new task, at trap_return with its first user frame above).
; The resumed side starts from RFLAGS_KERNEL whatever the other side ran
; with, so no context's flags follow the switch (docs/kernel.md).

bits 64
%include "regs.inc"
section .text
global context_switch

context_switch:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	push qword RFLAGS_KERNEL
	popfq
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
