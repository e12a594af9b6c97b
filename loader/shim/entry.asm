; The shim's entry from a multiboot v1 loader, and its exit into long mode.
; Multiboot Specification 0.6.96, 3.1.1 (header) and 3.2 (machine state:
; 32-bit protected mode, paging off, EAX = magic, EBX = info).

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ 0x00000003          ; page-align modules, give memory info
STACK_SIZE  equ 16384

; struct shim_handoff offsets (enter.h; pinned by _Static_asserts in enter.c)
SH_CR0      equ 0x00
SH_CR3      equ 0x08
SH_CR4      equ 0x10
SH_EFER     equ 0x18
SH_RFLAGS   equ 0x20
SH_RIP      equ 0x28
SH_GPR      equ 0x30                ; rax rcx rdx rbx rsp rbp rsi rdi r8..r15
SH_GS_BASE  equ 0xb0
SH_CS       equ 0xb8
SH_DS       equ 0xba
SH_GDTR     equ 0xc6                ; u16 limit, u64 base
SH_IDTR     equ 0xd6

CR4_PCIDE   equ (1 << 17)
MSR_EFER    equ 0xC0000080
MSR_GS_BASE equ 0xC0000101

extern shim_main
extern shim_handoff
extern shim_gdtr

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .text
bits 32
global _start
_start:
	cli
	cld
	mov esp, stack_top
	push ebx                        ; multiboot info
	push eax                        ; magic
	call shim_main
.hang:
	hlt
	jmp .hang

; void shim_enter_long_mode(void): CR4, CR3, EFER, CR0 from the handoff,
; far jump through the transition GDT, then 64-bit code below.
global shim_enter_long_mode
shim_enter_long_mode:
	cli
	lgdt [shim_gdtr]
	mov eax, [shim_handoff + SH_CR4]
	and eax, ~CR4_PCIDE             ; #GP outside long mode
	mov cr4, eax
	mov eax, [shim_handoff + SH_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	mov eax, [shim_handoff + SH_EFER]
	mov edx, [shim_handoff + SH_EFER + 4]
	wrmsr
	mov eax, [shim_handoff + SH_CR0]
	mov cr0, eax                    ; paging on: compatibility mode
	movzx eax, word [shim_handoff + SH_CS]
	push eax
	push dword long_mode
	retf

bits 64
long_mode:
	movzx eax, word [rel shim_handoff + SH_DS]
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rax, [rel shim_handoff + SH_CR4]
	mov cr4, rax                    ; now with PCIDE if the context asks
	mov ecx, MSR_GS_BASE
	mov eax, [rel shim_handoff + SH_GS_BASE]
	mov edx, [rel shim_handoff + SH_GS_BASE + 4]
	wrmsr
	; Exactly the context's tables, even empty ones (limit 0), as a VP
	; started by an IGVM loader would have them.
	lgdt [rel shim_handoff + SH_GDTR]
	lidt [rel shim_handoff + SH_IDTR]
	push qword [rel shim_handoff + SH_RFLAGS]
	popfq
	mov rax, [rel shim_handoff + SH_GPR + 0x00]
	mov rcx, [rel shim_handoff + SH_GPR + 0x08]
	mov rdx, [rel shim_handoff + SH_GPR + 0x10]
	mov rbx, [rel shim_handoff + SH_GPR + 0x18]
	mov rsp, [rel shim_handoff + SH_GPR + 0x20]
	mov rbp, [rel shim_handoff + SH_GPR + 0x28]
	mov rsi, [rel shim_handoff + SH_GPR + 0x30]
	mov rdi, [rel shim_handoff + SH_GPR + 0x38]
	mov r8,  [rel shim_handoff + SH_GPR + 0x40]
	mov r9,  [rel shim_handoff + SH_GPR + 0x48]
	mov r10, [rel shim_handoff + SH_GPR + 0x50]
	mov r11, [rel shim_handoff + SH_GPR + 0x58]
	mov r12, [rel shim_handoff + SH_GPR + 0x60]
	mov r13, [rel shim_handoff + SH_GPR + 0x68]
	mov r14, [rel shim_handoff + SH_GPR + 0x70]
	mov r15, [rel shim_handoff + SH_GPR + 0x78]
	jmp [rel shim_handoff + SH_RIP]

section .bss
align 16
stack_bottom:
	resb STACK_SIZE
stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
