/*
 * The vTPM's EK public for the services manifest: one VTPM_OP_EKPUB call
 * to the vtpm (apps/vtpm/vtpm_protocol.h) on the bridge's vtpm channel.
 */
#ifndef ATTEST_GUEST_EKPUB_H
#define ATTEST_GUEST_EKPUB_H

#include <stddef.h>
#include <stdint.h>

/* The bridge's handle slot to the vtpm (its `vtpm=` argument); 3 until set. */
void attest_guest_set_vtpm(unsigned slot);

/* The EK's TPMT_PUBLIC into out: its length, or 0 (no vtpm, no EK; logged once). */
size_t attest_guest_ekpub(uint8_t *out, size_t cap);

#endif
