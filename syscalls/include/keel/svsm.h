/*
 * SVSM call routing between the kernel (or a hosted front end) and the
 * service that serves a protocol (docs/svsm-routing.md).
 *
 * Constants keep the names of the SVSM specification (AMD pub. 58019,
 * "Secure VM Service Module for SEV-SNP Guests"): protocols, calls and
 * result codes.
 */
#ifndef KEEL_SVSM_H
#define KEEL_SVSM_H

#include <keel/msg.h>

/* Protocols (RAX[63:32]). */
#define SVSM_CORE_PROTOCOL 0u
#define SVSM_ATTEST_PROTOCOL 1u
#define SVSM_VTPM_PROTOCOL 2u
#define SVSM_UEFI_MM_PROTOCOL 4u

/* Core protocol calls (RAX[31:0]). */
#define SVSM_CORE_REMAP_CA 0u
#define SVSM_CORE_PVALIDATE 1u
#define SVSM_CORE_CREATE_VCPU 2u
#define SVSM_CORE_DELETE_VCPU 3u
#define SVSM_CORE_DEPOSIT_MEM 4u
#define SVSM_CORE_WITHDRAW_MEM 5u
#define SVSM_CORE_QUERY_PROTOCOL 6u
#define SVSM_CORE_CONFIGURE_VTOM 7u

/* vTPM protocol calls and platform commands. */
#define SVSM_VTPM_QUERY 0u
#define SVSM_VTPM_CMD 1u
#define SVSM_VTPM_PLATFORM_SEND_COMMAND 8u /* TPM_SEND_COMMAND, as in the TPM simulator */

/* UEFI-MM protocol calls. */
#define SVSM_UEFI_MM_REQUEST 1u

/* Result codes (RAX on return). */
#define SVSM_SUCCESS 0x00000000u
#define SVSM_ERR_INCOMPLETE 0x80000000u
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001u
#define SVSM_ERR_UNSUPPORTED_CALL 0x80000002u
#define SVSM_ERR_INVALID_ADDRESS 0x80000003u
#define SVSM_ERR_INVALID_FORMAT 0x80000004u
#define SVSM_ERR_INVALID_PARAMETER 0x80000005u
#define SVSM_ERR_INVALID_REQUEST 0x80000006u
#define SVSM_ERR_BUSY 0x80000007u
#define SVSM_ERR_PROTOCOL_BASE 0x80001000u

/*
 * A service that serves an SVSM protocol (manifest `protocol=N`) receives
 * the routed calls on this handle slot; manifest channels may not use it
 * in that task.
 */
#define KEEL_HANDLE_ROUTER 0u

/* Router -> service: one SVSM call. Reply: struct keel_svsm_result. */
#define KEEL_OP_SVSM_CALL 3u

struct keel_svsm_call {
	struct keel_msg hdr; /* op = KEEL_OP_SVSM_CALL, len = sizeof(*this) - 8 + buf_len */
	uint32_t call;       /* RAX[31:0] */
	uint32_t buf_len;    /* guest buffer bytes that follow (copied in by the router) */
	uint64_t rcx, rdx, r8, r9;
	/* uint8_t buf[buf_len]; */
};
_Static_assert(sizeof(struct keel_svsm_call) == 48, "keel_svsm_call layout");

struct keel_svsm_result {
	struct keel_msg hdr; /* op = KEEL_OP_SVSM_CALL, len = sizeof(*this) - 8 + buf_len */
	uint64_t rax;        /* SVSM_SUCCESS or SVSM_ERR_* */
	uint64_t rcx, rdx, r8;
	uint32_t buf_len;    /* bytes to copy back to the start of the guest buffer, <= the request's */
	uint32_t reserved;
	/* uint8_t buf[buf_len]; */
};
_Static_assert(sizeof(struct keel_svsm_result) == 48, "keel_svsm_result layout");

/*
 * Guest buffers larger than one channel message (an `rcx+rdx` rule's MAX
 * may be up to SVSM_BUFFER_MAX, 256 KiB; UEFI-MM buffers are 64 KiB) move
 * in parts (docs/svsm-routing.md, "Large buffers"):
 *
 * - In: when buf_len > SVSM_INLINE_MAX, the router first sends the buffer
 *   as KEEL_OP_SVSM_PART calls, in order, offset 0, SVSM_PART_MAX, ...;
 *   the service answers each with an empty KEEL_OP_SVSM_PART (hdr.len 8,
 *   same offset and total). Then the call itself: keel_svsm_call with
 *   buf_len = the whole length and no inline bytes (hdr.len 40).
 * - Out: a result whose buf_len > SVSM_INLINE_MAX carries no inline bytes
 *   (hdr.len 40); the router then asks for them with KEEL_OP_SVSM_PART
 *   calls carrying no data (offset = next byte, total = buf_len) and the
 *   service answers each with the data from that offset (up to
 *   SVSM_PART_MAX bytes).
 * Every part, either way, is exactly min(SVSM_PART_MAX, total - offset)
 * bytes. Anything out of order is a malformed exchange: the guest gets
 * SVSM_ERR_INVALID_REQUEST. apps/svsm/svsm_serve.h does the service's side.
 */
#define KEEL_OP_SVSM_PART 4u
/* Inline limit of one call/result (65496), part data limit (65528), and the largest buffer (256 KiB). */
#define SVSM_INLINE_MAX (KEEL_MSG_MAX_PAYLOAD - 40u)
#define SVSM_PART_MAX (KEEL_MSG_MAX_PAYLOAD - 8u)
#define SVSM_LARGE_BUFFER_MAX (256u * 1024u)

struct keel_svsm_part {
	struct keel_msg hdr; /* op = KEEL_OP_SVSM_PART, len = 8 + data bytes */
	uint32_t offset;     /* where the data sits in the call's buffer */
	uint32_t total;      /* the whole buffer's length */
	/* uint8_t data[]; */
};
_Static_assert(sizeof(struct keel_svsm_part) == 16, "keel_svsm_part layout");

#endif
