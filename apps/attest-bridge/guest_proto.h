/*
 * SVSM attestation protocol (protocol 1) as the guest sees it: AMD pub.
 * 58019 "Secure VM Service Module for SEV-SNP Guests", section 7, and
 * COCONUT-SVSM's kernel/src/protocols/attest.rs, byte for byte.
 *
 * RCX = GPA of the request structure (all little-endian, packed):
 *   0x00 u64 report GPA (page aligned)    0x08 u32 report size    0x0c 4 reserved
 *   0x10 u64 nonce GPA                    0x18 u16 nonce size     0x1a 6 reserved
 *   0x20 u64 manifest GPA (page aligned)  0x28 u32 manifest size  0x2c 4 reserved
 *   0x30 u64 certificates GPA             0x38 u32 certs size     0x3c 4 reserved
 * SINGLE_SERVICE adds:
 *   0x40 16-byte service GUID (mixed-endian, as uuid to_bytes_le)
 *   0x50 u32 manifest version (0 only)    0x54 4 reserved
 * The nonce is 64 bytes and does not cross a page. Reserved bytes are 0.
 * Success: RCX = manifest size, RDX = certificates size (0: none given),
 * R8 = report size. A buffer too small: SVSM_ERR_INVALID_PARAMETER with
 * RCX / R8 = the size needed.
 *
 * The router hands the service these buffers by the manifest rules
 *   buffer=0:rcx-desc:64@0,16,32,48 buffer=1:rcx-desc:88@0,16,32,48
 * (docs/svsm-routing.md): the structure, then report, nonce, manifest and
 * certificates buffers in that order.
 */
#ifndef ATTEST_GUEST_PROTO_H
#define ATTEST_GUEST_PROTO_H

#define SVSM_ATTEST_SERVICES 0u
#define SVSM_ATTEST_SINGLE_SERVICE 1u

#define ATTEST_SERVICES_OP_SIZE 0x40u
#define ATTEST_SINGLE_OP_SIZE 0x58u
#define ATTEST_OFF_REPORT 0x00u
#define ATTEST_OFF_NONCE 0x10u
#define ATTEST_OFF_MANIFEST 0x20u
#define ATTEST_OFF_CERTS 0x30u
#define ATTEST_OFF_GUID 0x40u
#define ATTEST_OFF_MANIFEST_VER 0x50u

#define ATTEST_NONCE_SIZE 64u
#define ATTEST_PAGE_SIZE 4096u
/* SNP ATTESTATION_REPORT (SEV-SNP ABI, Table 22), what keel_attest_report returns. */
#define ATTEST_REPORT_SIZE 1184u

/* Services manifest: header {GUID, u32 size, u32 count}, then per service
 * {GUID, u32 offset, u32 size}: 24 bytes each. */
#define ATTEST_MANIFEST_ENTRY_SIZE 24u

/* 63849ebb-3d92-4670-a1ff-58f9c94b87bb: the services manifest. */
#define ATTEST_GUID_SERVICES_MANIFEST                                                              \
	{0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46,                                           \
	 0xa1, 0xff, 0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb}
/* c476f1eb-0123-45a5-9641-b4e7dde5bfe3: the vTPM service (its manifest: the EK's TPMT_PUBLIC). */
#define ATTEST_GUID_VTPM                                                                           \
	{0xeb, 0xf1, 0x76, 0xc4, 0x23, 0x01, 0xa5, 0x45,                                           \
	 0x96, 0x41, 0xb4, 0xe7, 0xdd, 0xe5, 0xbf, 0xe3}

#endif
