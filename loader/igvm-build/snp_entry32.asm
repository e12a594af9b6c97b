; Keel's SEV-SNP entry: a 32-bit stub at KEEL_GPA_SNP_ENTRY (docs/boot.md).
;
; A QEMU/KVM SNP launch starts the boot VP in the reset-compatible state KVM
; measures (CR0 = 0x31: protected mode, no paging), so the SNP VMSA cannot
; start in long mode as the NATIVE context does. This stub, entered with
; flat 32-bit segments and paging off, builds the boot page tables with the
; C-bit (from the SNP CPUID page, leaf 0x8000001F EBX[5:0]; none found =
; no C-bit, as on a non-SNP test boot), enables long mode, and jumps to the
; kernel entry with the native context's RSP and RDI. It uses no CPUID or
; other #VC-raising instruction (CR/EFER writes are automatic exits).
;
; `make` turns this into a flat binary and a C array linked into
; igvm-build, which patches the three parameters at offsets 8/16/24
; (boot_pages.c) and writes the page with mask NATIVE|SNP: the shim's
; snp-stub test path (docs/shim.md) enters it from a NATIVE load.

; boot_info.inc: the KEEL_* constants of loader/include/keel/boot_info.h,
; made by loader.mk.
%include "boot_info.inc"
%define GPA_ENTRY      KEEL_GPA_SNP_ENTRY
%define GPA_CPUID      KEEL_GPA_CPUID
%define GPA_GDT        KEEL_GPA_BOOT_GDT
%define GPA_PT         KEEL_GPA_PAGE_TABLES
%define CODE64         KEEL_BOOT_GDT_CODE_SELECTOR
%define DATA           KEEL_BOOT_GDT_DATA_SELECTOR

	org GPA_ENTRY
	bits 32
start:
	jmp code
	align 8
p_entry:	dq 0            ; +8:  kernel entry (virtual)
p_stack:	dq 0            ; +16: initial RSP
p_boot_info:	dq 0            ; +24: RDI (struct keel_boot_info)
gdtr:		dw 31           ; +32: boot GDT pseudo-descriptor
		dd GPA_GDT

code:
	cli
	cld
	; --- C-bit position from the CPUID page: ebp = C-bit in the high dword
	xor ebp, ebp
	mov ecx, [GPA_CPUID]            ; count of entries
	cmp ecx, 64
	ja .cbit_done
	mov edx, GPA_CPUID + 16         ; entries: 0x30 bytes each
.scan:
	test ecx, ecx
	jz .cbit_done
	cmp dword [edx], 0x8000001F     ; eax_in
	jne .next
	mov eax, [edx + 28]             ; ebx out
	and eax, 0x3F
	sub eax, 32
	jb .next
	bts ebp, eax
	jmp .cbit_done
.next:
	add edx, 48
	dec ecx
	jmp .scan
.cbit_done:
	; --- page tables: PML4, PDPT(low), PDPT(high), 4 PDs (2 MiB pages)
	mov edi, GPA_PT
	mov ecx, 7 * 1024
	xor eax, eax
	rep stosd
	mov dword [GPA_PT], GPA_PT + 0x1003
	mov [GPA_PT + 4], ebp
	mov dword [GPA_PT + 511 * 8], GPA_PT + 0x2003
	mov [GPA_PT + 511 * 8 + 4], ebp
	xor ecx, ecx
.pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, GPA_PT + 0x3003
	mov [GPA_PT + 0x1000 + ecx * 8], eax
	mov [GPA_PT + 0x1000 + ecx * 8 + 4], ebp
	inc ecx
	cmp ecx, 4
	jb .pdpt
	; 0xffffffff80000000 (PML4 511, PDPT 510) -> the 0-1 GiB PD
	mov dword [GPA_PT + 0x2000 + 510 * 8], GPA_PT + 0x3003
	mov [GPA_PT + 0x2000 + 510 * 8 + 4], ebp
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83                    ; P W PS
	mov [GPA_PT + 0x3000 + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	or eax, ebp
	mov [GPA_PT + 0x3000 + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jb .pd
	; --- long mode
	lgdt [gdtr]
	mov eax, 0x620                  ; PAE OSFXSR OSXMMEXCPT
	mov cr4, eax
	mov eax, GPA_PT
	mov cr3, eax
	mov ecx, 0xC0000080             ; EFER: keep SVME, add SCE LME NXE
	rdmsr
	or eax, 0x901
	wrmsr
	mov eax, 0x80010033             ; PE MP ET NE WP PG
	mov cr0, eax
	jmp CODE64:long_mode

	bits 64
long_mode:
	mov eax, DATA
	mov ds, eax
	mov es, eax
	mov ss, eax
	mov fs, eax
	mov gs, eax
	mov rsp, [rel p_stack]
	mov rdi, [rel p_boot_info]
	mov rax, [rel p_entry]
	push 0x2
	popfq
	jmp rax
