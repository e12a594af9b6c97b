/*
 * SNP_GUEST_REQUEST through the GHCB (GHCB spec, NAE event 0x8000_0011):
 * the transport of platform/snp/guest_msg.h on SEV-SNP hardware.
 * Needs a GHCB page registered with the hypervisor (shared) and the two
 * message pages shared (platform_dma_share). Not wired yet: the SNP
 * platform does not run (no GHCB page or secrets page mapped); see
 * docs/attestation-report.md, "SEV-SNP".
 */
#ifndef KEEL_SNP_GUEST_REQUEST_H
#define KEEL_SNP_GUEST_REQUEST_H

#include <stdint.h>

#include "platform/snp/guest_msg.h"

#define SNP_NAE_GUEST_REQUEST 0x80000011ull

/* The GHCB fields this call uses (offsets in the GHCB spec's save area). */
#define GHCB_OFF_SW_EXIT_CODE 0x390u
#define GHCB_OFF_SW_EXIT_INFO_1 0x398u
#define GHCB_OFF_SW_EXIT_INFO_2 0x3a0u
#define GHCB_OFF_VALID_BITMAP 0x3f0u
#define GHCB_OFF_PROTOCOL_VERSION 0xffau
#define GHCB_OFF_USAGE 0xffcu

struct snp_ghcb_ctx {
	uint8_t *ghcb;             /* the registered GHCB page (shared) */
	uint64_t ghcb_gpa;
	uint64_t req_gpa, rsp_gpa; /* the shared message pages' guest-physical addresses */
	uint64_t fw_error;         /* SW_EXITINFO2 after the call: hypervisor/firmware error */
};

/* snp_guest_transport.request: ctx is a struct snp_ghcb_ctx. */
int snp_ghcb_guest_request(void *ctx, struct snp_guest_msg *req, struct snp_guest_msg *rsp);

#endif
