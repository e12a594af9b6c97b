/*
 * Modes "fault-*": a guest doing what it may not; each must end the guest
 * as a fault and leave the kernel running (tests/system/svsm-guest-faults.sh).
 */
#include "guest.h"

int guest_fault(const char *mode)
{
	if (str_eq(mode, "fault-msr")) {
		uint32_t lo, hi;
		__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u)); /* EFER */
	} else if (str_eq(mode, "fault-port")) {
		outb(0xf4, 0); /* isa-debug-exit: not the guest's */
	} else if (str_eq(mode, "fault-syscall")) {
		__asm__ volatile("syscall" ::: "rcx", "r11", "memory");
	} else if (str_eq(mode, "fault-vmgexit")) {
		ghcb_wrmsr(0x002); /* SEV information request: not a VMPL request */
		__asm__ volatile("rep; vmmcall" ::: "memory");
	} else if (str_eq(mode, "fault-write-text")) {
		*(volatile uint8_t *)(uint64_t)&guest_fault = 0xc3;
	} else {
		return 2;
	}
	con_puts("[guest] still running after the fault\n");
	return 3;
}
