/*
 * The user half of every task's address space. The ELF image must lie
 * below USER_HEAP_BASE; anonymous and device mappings come from the heap
 * region; the data file (data=), the TLS block and the stack sit at fixed
 * places above it, each with unmapped space around it (the page below the
 * stack is a guard).
 */
#ifndef KEEL_TASK_LAYOUT_H
#define KEEL_TASK_LAYOUT_H

#include <keel/task_data.h> /* KEEL_TASK_DATA_ADDR: the ABI fixes the data's address */

#define USER_IMAGE_MIN 0x0000000000010000ull  /* nothing at or near address 0 */
#define USER_HEAP_BASE 0x0000100000000000ull
#define USER_HEAP_END 0x00007f0000000000ull
#define USER_DATA_BASE KEEL_TASK_DATA_ADDR /* data=: read-only, MANIFEST_DATA_MAX at most */
#define USER_TLS_BASE 0x00007f8000000000ull
#define USER_STACK_TOP 0x00007ffffff00000ull  /* well below the non-canonical boundary */
#define USER_STACK_PAGES 64u                 /* 256 KiB; the page below is never mapped */
#define USER_TCB_SIZE 0x100u                 /* TCB: self pointers at 0 and 0x10, canary at 0x28 */

#endif
