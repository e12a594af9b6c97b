/* keel-hosted: a task's data= file, snapshotted for the shim (syscalls/hosted/task_data.c). */
#ifndef KEEL_HOSTED_DATA_FILE_H
#define KEEL_HOSTED_DATA_FILE_H

/*
 * DIR/NAME read into a memfd sealed against every change (write, shrink,
 * grow, more seals), so what the task maps is what the launcher checked
 * when it started, whatever happens to the file afterwards. 1 to
 * MANIFEST_DATA_MAX bytes, as igvm-build requires. The fd (close-on-exec),
 * or -1 with a message naming the task on stderr.
 */
int data_file_snapshot(const char *dir, const char *name, const char *task);

#endif
