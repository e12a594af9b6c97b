/*
 * The EMULATED platform's VCEK private scalar (P-384, big-endian), embedded
 * from emulated-platform/vcek.key: insecure by design (its README.md). Kernel
 * memory only; never mapped into a task.
 */
#ifndef KEEL_EMULATED_VCEK_H
#define KEEL_EMULATED_VCEK_H

extern const unsigned char emulated_vcek_scalar[48];

#endif
