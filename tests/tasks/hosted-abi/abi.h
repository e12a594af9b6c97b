/*
 * ABI conformance tasks (abi-client, abi-server): written only against
 * keel/syscall.h, so the same sources run hosted (tests/hosted/hosted-abi.sh)
 * and booted (tests/system/abi-booted.sh), with the same checks in the same
 * number both ways. Each check logs "PASS what" or "FAIL what: got X, want Y";
 * a task exits 1 if any check failed. Where docs/hosted.md documents that
 * the modes differ, abi_check_mode asserts each mode's answer.
 */
#ifndef ABI_H
#define ABI_H

#include <keel/syscall.h>

/* Logs the check and counts a failure; returns got == want. */
int abi_check(const char *what, long got, long want);
/* 1 when running hosted (keel-hosted hands every task KEEL_HOSTED_CAPS; a boot has no environment). */
int abi_hosted(void);
/* abi_check with the answer docs/hosted.md documents for this mode; the line names the mode. */
int abi_check_mode(const char *what, long got, long want_booted, long want_hosted);
/* Logs a free-form line. */
void abi_note(const char *what);
/* 0 if every check passed, 1 otherwise. */
int abi_status(void);

#endif
