/*
 * The task's data file: the one read-only file its manifest line names
 * with `data=ENTRY` (docs/manifest.md), e.g. the UEFI variable service's
 * default varstore. Booted it is the bundle entry ENTRY, part of the
 * launch measurement, mapped read-only (no write, no execute) at a fixed
 * place in the task; hosted it is the file ENTRY in keel-hosted's
 * --bin-dir, snapshotted into a sealed memfd at launch and mapped
 * read-only (docs/abi.md, docs/hosted.md). Writing to it faults (hosted:
 * SIGSEGV) in both modes.
 */
#ifndef KEEL_TASK_DATA_H
#define KEEL_TASK_DATA_H

#include <stddef.h>

#include <keel/errors.h>

/*
 * Booted, where the kernel maps the data (kernel/task/layout.h uses this
 * one value). Hosted it is elsewhere: use keel_task_data's answer.
 */
#define KEEL_TASK_DATA_ADDR 0x00007f4000000000ull

/*
 * 0 and *data / *size (size >= 1; the bytes stay mapped, unchanged, for
 * the task's life), KEEL_ENOENT when the manifest names no data= file
 * (nothing written), KEEL_EFAULT when `data` or `size` is not writable.
 * Booted this is syscall KEEL_SYS_TASK_DATA.
 */
int keel_task_data(const void **data, size_t *size);

#endif
