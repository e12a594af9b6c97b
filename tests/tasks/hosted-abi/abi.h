/*
 * Channel-ABI test tasks (abi-client, abi-server): written only against
 * keel/syscall.h, so the same binaries run hosted (tests/hosted/hosted-abi.sh)
 * and booted. Each check logs "PASS what" or "FAIL what: got X, want Y";
 * a task exits 1 if any check failed.
 */
#ifndef ABI_H
#define ABI_H

#include <keel/syscall.h>

/* Logs the check and counts a failure; returns got == want. */
int abi_check(const char *what, long got, long want);
/* Logs a free-form line. */
void abi_note(const char *what);
/* 0 if every check passed, 1 otherwise. */
int abi_status(void);

#endif
