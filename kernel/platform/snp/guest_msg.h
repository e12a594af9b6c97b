/*
 * The SEV-SNP guest-message protocol (SNP firmware ABI spec, "Guest
 * Messages"; Linux's sev-guest driver and COCONUT-SVSM do the same): a
 * request to the PSP is AES-256-GCM sealed with VMPCK0 from the secrets
 * page, IV = the message sequence number (little-endian, zero-padded to 12
 * bytes), AAD = header bytes 0x30..0x5F, tag in authtag. It travels through
 * the hypervisor (SNP_GUEST_REQUEST, GHCB NAE exit 0x80000011) in two shared
 * pages; the response carries sequence number request + 1.
 *
 * Pure code over a transport (struct snp_guest_transport), so the host unit
 * test (tests/unit/kernel/test_snp_guest_msg.c) plays the PSP with OpenSSL.
 *
 * Sequence numbers are never reused: the counter moves past a request's
 * pair (request, response) BEFORE the request leaves, and any failure after
 * that (no or bad response: the PSP's counter is now unknown) disables the
 * key for good, wiping it, as Linux's snp_disable_vmpck does.
 */
#ifndef KEEL_SNP_GUEST_MSG_H
#define KEEL_SNP_GUEST_MSG_H

#include <stddef.h>
#include <stdint.h>

#define SNP_MSG_PAGE 4096u
#define SNP_MSG_HDR_SIZE 0x60u
#define SNP_MSG_AAD_OFF 0x30u
#define SNP_MSG_ALGO_AES_256_GCM 1u
#define SNP_MSG_HDR_VERSION 1u
#define SNP_MSG_REPORT_REQ 5u
#define SNP_MSG_REPORT_RSP 6u
#define SNP_MSG_VERSION 1u
#define SNP_MSG_PAYLOAD_MAX (SNP_MSG_PAGE - SNP_MSG_HDR_SIZE)

struct snp_guest_msg_hdr {
	uint8_t authtag[32];
	uint64_t msg_seqno;
	uint8_t rsvd1[8];
	uint8_t algo;
	uint8_t hdr_version;
	uint16_t hdr_sz;
	uint8_t msg_type;
	uint8_t msg_version;
	uint16_t msg_sz;
	uint32_t rsvd2;
	uint8_t msg_vmpck;
	uint8_t rsvd3[35];
};
_Static_assert(sizeof(struct snp_guest_msg_hdr) == SNP_MSG_HDR_SIZE, "guest message header");
_Static_assert(__builtin_offsetof(struct snp_guest_msg_hdr, msg_seqno) == 0x20, "msg_seqno");
_Static_assert(__builtin_offsetof(struct snp_guest_msg_hdr, algo) == SNP_MSG_AAD_OFF, "algo");
_Static_assert(__builtin_offsetof(struct snp_guest_msg_hdr, msg_sz) == 0x36, "msg_sz");
_Static_assert(__builtin_offsetof(struct snp_guest_msg_hdr, msg_vmpck) == 0x3c, "msg_vmpck");

/* MSG_REPORT_REQ payload. */
struct snp_report_req {
	uint8_t user_data[64];
	uint32_t vmpl;
	uint8_t rsvd[28];
};
_Static_assert(sizeof(struct snp_report_req) == 96, "report request");

/* MSG_REPORT_RSP payload: status, size, then the report. */
#define SNP_REPORT_RSP_HDR 0x20u

/* One page each way: header then (encrypted) payload. */
struct snp_guest_msg {
	struct snp_guest_msg_hdr hdr;
	uint8_t payload[SNP_MSG_PAYLOAD_MAX];
};
_Static_assert(sizeof(struct snp_guest_msg) == SNP_MSG_PAGE, "one page");

/*
 * The hypervisor call: `req` and `rsp` are the shared pages. Returns 0 when
 * the hypervisor reports success (then `rsp` holds the PSP's answer), else
 * non-zero. On SNP: GHCB NAE exit SNP_GUEST_REQUEST (guest_request.c).
 */
struct snp_guest_transport {
	int (*request)(void *ctx, struct snp_guest_msg *req, struct snp_guest_msg *rsp);
	void *ctx;
	struct snp_guest_msg *req, *rsp; /* the shared pages */
};

/* Per-key state: VMPCK0 and its sequence number (the last one used). */
struct snp_guest_channel {
	uint8_t vmpck[32];
	uint64_t seqno;
	int disabled;
};

/*
 * The SNP secrets page (SNP firmware ABI, "Secrets Page Format"): VMPCK0 at
 * 0x20, and the guest OS area at 0xA0 whose first u32 (msg_seqno_0) holds
 * the last sequence number used with VMPCK0, as Linux keeps it there.
 */
#define SNP_SECRETS_VMPCK0 0x20u
#define SNP_SECRETS_OS_SEQNO0 0xa0u

/* The channel for VMPCK0 from a mapped secrets page. */
void snp_guest_channel_init(struct snp_guest_channel *ch, const uint8_t *secrets_page);
/* Writes the channel's counter back to the secrets page (after every request). */
void snp_guest_channel_save(const struct snp_guest_channel *ch, uint8_t *secrets_page);

enum snp_guest_rc {
	SNP_GUEST_OK = 0,
	SNP_GUEST_DISABLED = -1, /* the key was disabled by an earlier failure */
	SNP_GUEST_TRANSPORT = -2, /* the hypervisor call failed */
	SNP_GUEST_BAD_RESPONSE = -3, /* tag, sequence number, type, version or size wrong */
	SNP_GUEST_FW_STATUS = -4, /* the PSP answered with a non-zero status */
	SNP_GUEST_TOO_SMALL = -5, /* the caller's buffer is smaller than the report */
};

/*
 * MSG_REPORT_REQ for VMPL `vmpl` with report_data: the report (the PSP's
 * bytes) into out (cap bytes). Returns its length or an snp_guest_rc.
 */
long snp_guest_report(struct snp_guest_channel *ch, const struct snp_guest_transport *t,
                      const uint8_t report_data[64], uint32_t vmpl, void *out, size_t cap);

/* AES-256-GCM seal/open of one message in place (exposed for the tests). */
void snp_guest_seal(const uint8_t key[32], struct snp_guest_msg *m);
int snp_guest_open(const uint8_t key[32], struct snp_guest_msg *m);

#endif
