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
#include "platform/platform.h"

#define GUEST_STEP_MAX 64u /* instructions single-stepped after a VMPL request */

/* guest_trap(g, f): declared in platform/platform.h, the core's way in. */

#endif
