/*
 * The emulated VMPL switch on the native platform (docs/architecture.md §5,
 * docs/guest.md): the guest's #GP (RDMSR/WRMSR of the GHCB MSR, port I/O,
 * HLT = exit), #UD (VMGEXIT under TCG) and #DB (single-stepping from the
 * VMPL request to VMGEXIT, for KVM, where a CPL3 VMMCALL does not fault).
 */
#ifndef KEEL_NATIVE_GUEST_TRAP_H
#define KEEL_NATIVE_GUEST_TRAP_H

#include "arch/x86_64/trap.h"
#include "task/guest.h"

#define GUEST_STEP_MAX 64u /* instructions single-stepped after a VMPL request */

/*
 * An exception from the guest `g` at CPL3. 1: emulated, resume the guest
 * (the frame is updated); 0: not emulable, the caller ends the guest as a
 * fault. Does not return when the guest exits (HLT).
 */
int guest_trap(struct guest *g, struct trap_frame *f);

#endif
