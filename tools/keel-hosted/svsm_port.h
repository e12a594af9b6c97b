/*
 * The hosted guest port (docs/hosted.md, "Guest port"): keel-hosted takes
 * raw SVSM calls on one Unix socket, $STATE/svsm.sock, for every protocol,
 * and answers them through the kernel's router code (kernel/svsm/, all
 * host-built): core protocol 0 by core.c, every other protocol by
 * forward.c to the task with `protocol=N`, with the buffer rule
 * (svsm_buffer_decode) checked against a guest-memory window the client
 * sends with the call. The TPM front ends are adapters over the same path
 * (vtpm_router.c).
 *
 * Wire format, on a SOCK_STREAM Unix socket, little-endian (the x86-64
 * host's order), any number of calls per connection, one at a time:
 *
 *   request  struct svsm_port_req (64 bytes), then window_len bytes: the
 *            guest memory [window_gpa, window_gpa + window_len)
 *   response struct svsm_port_rsp (56 bytes), then window_len bytes: the
 *            window after the call (status 0), or nothing (status != 0:
 *            the frame was refused and the connection is closed)
 *
 * keel-svsm-call (tools/keel-svsm-call/) is the command-line client.
 */
#ifndef KEEL_HOSTED_SVSM_PORT_H
#define KEEL_HOSTED_SVSM_PORT_H

#include <stddef.h>
#include <stdint.h>

#define SVSM_PORT_SOCKET "svsm.sock"    /* in the state directory */
#define SVSM_PORT_MAGIC_REQ 0x5143564bu /* "KVCQ" */
#define SVSM_PORT_MAGIC_RSP 0x5243564bu /* "KVCR" */
#define SVSM_PORT_VERSION 1u
/*
 * The largest guest-memory window of one call: the largest guest buffer
 * (SVSM_LARGE_BUFFER_MAX, 256 KiB) and 64 KiB more, room for an rcx-desc
 * descriptor and its buffers (one message together) or for where a buffer
 * sits in the window.
 */
#define SVSM_PORT_WINDOW_MAX (256u * 1024u + 65536u)

struct svsm_port_req {
	uint32_t magic;   /* SVSM_PORT_MAGIC_REQ */
	uint32_t version; /* SVSM_PORT_VERSION */
	uint64_t rax;     /* (protocol << 32) | call */
	uint64_t rcx, rdx, r8, r9;
	uint64_t window_gpa; /* guest physical address of the window's first byte */
	uint32_t window_len; /* 0..SVSM_PORT_WINDOW_MAX; window_gpa + window_len must not wrap */
	uint32_t reserved;   /* 0 */
};
_Static_assert(sizeof(struct svsm_port_req) == 64, "svsm_port_req layout");

enum svsm_port_status {
	SVSM_PORT_OK = 0,
	SVSM_PORT_BAD_MAGIC = 1,      /* not a guest-port request */
	SVSM_PORT_BAD_VERSION = 2,    /* another version of this format */
	SVSM_PORT_WINDOW_TOO_BIG = 3, /* window_len above SVSM_PORT_WINDOW_MAX */
	SVSM_PORT_BAD_WINDOW = 4,     /* window_gpa + window_len wraps past 2^64 */
	SVSM_PORT_BAD_RESERVED = 5,   /* reserved is not 0 */
};

struct svsm_port_rsp {
	uint32_t magic;  /* SVSM_PORT_MAGIC_RSP */
	uint32_t status; /* enum svsm_port_status: anything but OK closes the connection */
	uint64_t rax;    /* SVSM result code (SVSM_SUCCESS / SVSM_ERR_*) */
	uint64_t rcx, rdx, r8;
	uint64_t window_gpa;
	uint32_t window_len; /* bytes that follow (the request's; 0 on an error status) */
	uint32_t reserved;
};
_Static_assert(sizeof(struct svsm_port_rsp) == 56, "svsm_port_rsp layout");

static inline const char *svsm_port_status_name(uint32_t s)
{
	switch (s) {
	case SVSM_PORT_OK:
		return "ok";
	case SVSM_PORT_BAD_MAGIC:
		return "bad magic (not a guest-port request)";
	case SVSM_PORT_BAD_VERSION:
		return "unsupported version";
	case SVSM_PORT_WINDOW_TOO_BIG:
		return "window larger than 327680 bytes";
	case SVSM_PORT_BAD_WINDOW:
		return "window wraps past the top of the address space";
	case SVSM_PORT_BAD_RESERVED:
		return "reserved field not zero";
	default:
		return "unknown error";
	}
}

struct tpm_frame;
/* svsm_port_frame.c: TPM_FRAME_MORE, TPM_FRAME_OK or TPM_FRAME_BAD (f->arg = the status). */
int svsm_port_frame(const uint8_t *buf, size_t len, struct tpm_frame *f);

#ifndef SVSM_PORT_WIRE_ONLY
#include "svsm/call.h"
#include "task/manifest.h"

/*
 * keel-hosted side (svsm_port.c). svsm_port_init: the router table from the
 * manifest and every protocol task's router end (launch_router_fd); after
 * launch_start. 0, or -1 with a message.
 */
int svsm_port_init(const struct manifest *m);
/* The launcher's router end for `protocol` (-1: no task serves it); kept by svsm_port. */
int svsm_port_router_fd(uint32_t protocol);
/*
 * One SVSM call through the router with `win[0..len)` standing for the
 * guest memory at `gpa`: sets regs->rax (and RCX/RDX/R8), copies the
 * buffer in and out of `win`. Front-end thread only (the router's buffers
 * are static, as booted).
 */
void svsm_port_call(struct svsm_regs *regs, uint64_t gpa, uint8_t *win, uint32_t len);
/* Closes the router ends (keel-hosted's end). */
void svsm_port_close(void);
#endif

#endif
