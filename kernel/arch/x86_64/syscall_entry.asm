; SYSCALL entry and SYSRET exit. On entry RCX = user RIP, R11 = user
; RFLAGS, RSP = user stack; FMASK has cleared every flag (RFLAGS is
; RFLAGS_KERNEL: IF, DF, AC, TF, NT, IOPL all 0), so interrupts stay off
; until we return and no flag of the task's runs kernel code. swapgs gives us the per-CPU block
; (struct percpu: +0 kernel RSP, +8 scratch for the user RSP) from which
; we take the kernel stack before touching any memory through RSP.
; We build the same trap frame as isr.asm (vector = 0x100).

bits 64
%include "regs.inc"
section .text

extern syscall_dispatch
global syscall_entry
global syscall_return

PCPU_KERNEL_RSP equ 0
PCPU_USER_RSP equ 8
USER_CS equ 0x23
USER_SS equ 0x1b

syscall_entry:
	swapgs
	mov [gs:PCPU_USER_RSP], rsp
	mov rsp, [gs:PCPU_KERNEL_RSP]
	push qword USER_SS
	push qword [gs:PCPU_USER_RSP]
	push r11
	push qword USER_CS
	push rcx
	push qword 0
	push qword 0x100
	PUSH_GPRS
	mov rdi, rsp
	call syscall_dispatch
; syscall_dispatch has checked that the saved RIP is canonical (a task
; whose return RIP is not is killed instead), so SYSRET cannot #GP in ring 0.
syscall_return:
	POP_GPRS
	add rsp, 16
	mov rcx, [rsp]        ; RIP
	mov r11, [rsp + 16]   ; RFLAGS: the task's own flags only (regs.inc)
	and r11, RFLAGS_USER
	or r11, RFLAGS_TO_USER
	mov rsp, [rsp + 24]   ; user RSP; interrupts are still off
	swapgs
	o64 sysret

section .note.GNU-stack noalloc noexec nowrite progbits
