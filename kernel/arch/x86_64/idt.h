#ifndef KEEL_ARCH_IDT_H
#define KEEL_ARCH_IDT_H

void idt_init(void);

#endif
