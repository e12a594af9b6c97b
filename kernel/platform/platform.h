/*
 * What the kernel needs from the platform it runs on. One implementation
 * per platform directory (native/ here; snp/ supplies the pieces that only
 * make sense on SEV-SNP); the Makefile selects files, not #ifdefs.
 */
#ifndef KEEL_PLATFORM_H
#define KEEL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

struct guest;
struct trap_frame;

void console_init(void);
void console_write(const char *s, size_t n);

/*
 * Time (native/time.c): monotonic nanoseconds since boot, and REALTIME
 * (nanoseconds since 1970). time_init calibrates them and starts the
 * preemption timer.
 */
void time_init(void);
uint64_t time_monotonic_ns(void);
uint64_t time_realtime_ns(void);

/*
 * The emulated VMPL switch (native/guest_trap.c, docs/guest.md): an
 * exception from the guest `g` at CPL3. 1: emulated, resume the guest (the
 * frame is updated); 0: not emulable, the caller ends the guest as a
 * fault. Does not return when the guest exits (HLT).
 */
int guest_trap(struct guest *g, struct trap_frame *f);

/* Leave the VM with status 0 (success) or non-zero; does not return. */
_Noreturn void platform_exit(int status);

/* Attestation report; KEEL_ENOTSUP where the platform has none. */
long platform_attest_report(const uint8_t report_data[64], void *out, size_t cap);

/*
 * DMA memory (keel_dma_alloc). platform_dma_share makes `pages` frames from
 * `pa` memory a device may see: nothing to do on native; on SEV-SNP each
 * page is rescinded and converted to shared (platform/snp/psc.h), so
 * private memory is never given to a device. platform_dma_unshare makes
 * them private again before the frames are reused. Both return 0,
 * PLATFORM_DMA_FAILED (nothing changed: the frames are private and may be
 * freed) or PLATFORM_DMA_LOST (a frame's state is unknown: never reuse).
 */
#define PLATFORM_DMA_FAILED (-1)
#define PLATFORM_DMA_LOST (-2)
int platform_dma_share(uint64_t pa, uint64_t pages);
int platform_dma_unshare(uint64_t pa, uint64_t pages);

#endif
