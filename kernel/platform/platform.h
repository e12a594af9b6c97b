/*
 * What the kernel needs from the platform it runs on. One implementation
 * per platform directory (native/ here; snp/ supplies the pieces that only
 * make sense on SEV-SNP); the Makefile selects files, not #ifdefs.
 */
#ifndef KEEL_PLATFORM_H
#define KEEL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

void console_init(void);
void console_write(const char *s, size_t n);

/* Leave the VM with status 0 (success) or non-zero; does not return. */
_Noreturn void platform_exit(int status);

/* Attestation report; KEEL_ENOTSUP where the platform has none. */
long platform_attest_report(const uint8_t report_data[64], void *out, size_t cap);

#endif
