/*
 * The SVSM services manifest (guest_proto.h): a GUID table as COCONUT-SVSM
 * writes it. Header: services-manifest GUID, u32 total size, u32 count;
 * then per service its GUID, u32 offset of its data from the manifest's
 * start, u32 data size; then the data blobs in order. Keel lists the vTPM
 * (data: the EK's TPMT_PUBLIC) when the vtpm answers, nothing otherwise.
 */
#ifndef ATTEST_GUEST_MANIFEST_H
#define ATTEST_GUEST_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

/* The manifest with the vTPM entry if ek_len > 0: its length, or 0 if over cap. */
size_t attest_guest_manifest(const uint8_t *ekpub, size_t ek_len, uint8_t *out, size_t cap);

#endif
