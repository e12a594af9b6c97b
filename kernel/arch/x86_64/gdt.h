/* GDT (kernel/user code and data) and the TSS with IST stacks. */
#ifndef KEEL_ARCH_GDT_H
#define KEEL_ARCH_GDT_H

#include <stdint.h>

/* Selectors. The order kernel code, kernel data, user data, user code is what SYSRET needs. */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x1b /* 0x18 | RPL 3 */
#define GDT_UCODE 0x23 /* 0x20 | RPL 3 */
#define GDT_TSS 0x28

/* IST indices (1-based, as the IDT encodes them). */
#define IST_NMI 1
#define IST_DF 2
#define IST_MC 3

void gdt_init(void);
/*
 * A task may load DS, ES, FS or GS with any selector it can name; none of
 * that may reach the next task. Puts back the kernel's value, null, in all
 * four, and the GS bases a selector load changed.
 * Cheap when nothing changed: one read of each selector.
 */
void gdt_reset_user_selectors(void);
/* The kernel stack used when an interrupt arrives from ring 3. */
void tss_set_rsp0(uint64_t rsp0);

#endif
