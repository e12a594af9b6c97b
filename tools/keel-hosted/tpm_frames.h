/*
 * Frames of the two TPM socket protocols keel-hosted speaks to TPM clients
 * (docs/tpm-frontends.md): the TCG reference simulator's TCP protocol
 * (TpmTcpProtocol.h, what tpm2-tss's `mssim` TCTI sends) and swtpm's socket
 * protocol (raw TPM commands on the data port, tpm_ioctl.h CMD_* on the
 * control port). All integers are big-endian on the wire.
 *
 * Pure parsing, no I/O: each function looks at the bytes a connection has
 * buffered so far and says "need more", "one frame of `consumed` bytes" or
 * "bad input" with a reason. This is the one place that reads client bytes
 * (tests/fuzz/tpm-frames/ calls it).
 */
#ifndef KEEL_HOSTED_TPM_FRAMES_H
#define KEEL_HOSTED_TPM_FRAMES_H

#include <stddef.h>
#include <stdint.h>

/* TpmTcpProtocol.h command codes (command port and platform port). */
#define TPM_SIGNAL_POWER_ON 1u
#define TPM_SIGNAL_POWER_OFF 2u
#define TPM_SIGNAL_PHYS_PRES_ON 3u
#define TPM_SIGNAL_PHYS_PRES_OFF 4u
#define TPM_SIGNAL_HASH_START 5u
#define TPM_SIGNAL_HASH_DATA 6u
#define TPM_SIGNAL_HASH_END 7u
#define TPM_SEND_COMMAND 8u
#define TPM_SIGNAL_CANCEL_ON 9u
#define TPM_SIGNAL_CANCEL_OFF 10u
#define TPM_SIGNAL_NV_ON 11u
#define TPM_SIGNAL_NV_OFF 12u
#define TPM_SIGNAL_KEY_CACHE_ON 13u
#define TPM_SIGNAL_KEY_CACHE_OFF 14u
#define TPM_REMOTE_HANDSHAKE 15u
#define TPM_SET_ALTERNATIVE_RESULT 16u
#define TPM_SIGNAL_RESET 17u
#define TPM_SIGNAL_RESTART 18u
#define TPM_SESSION_END 20u
#define TPM_STOP 21u
#define TPM_GET_COMMAND_RESPONSE_SIZES 25u
#define TPM_TEST_FAILURE_MODE 30u

/* swtpm control channel (swtpm's tpm_ioctl.h). */
#define CMD_GET_CAPABILITY 0x01u
#define CMD_INIT 0x02u
#define CMD_SHUTDOWN 0x03u
#define CMD_GET_TPMESTABLISHED 0x04u
#define CMD_SET_LOCALITY 0x05u
#define CMD_HASH_START 0x06u
#define CMD_HASH_DATA 0x07u
#define CMD_HASH_END 0x08u
#define CMD_CANCEL_TPM_CMD 0x09u
#define CMD_STORE_VOLATILE 0x0au
#define CMD_RESET_TPMESTABLISHED 0x0bu
#define CMD_GET_STATEBLOB 0x0cu
#define CMD_SET_STATEBLOB 0x0du
#define CMD_STOP 0x0eu
#define CMD_GET_CONFIG 0x0fu
#define CMD_SET_DATAFD 0x10u
#define CMD_SET_BUFFERSIZE 0x11u
#define CMD_GET_INFO 0x12u
#define CMD_LOCK_STORAGE 0x13u

/*
 * Largest TPM command a client may send: what fits in the SVSM_VTPM_CMD
 * page after its 9-byte request header (apps/vtpm/vtpm_protocol.h).
 */
#define TPM_FRAME_CMD_MAX (4096u - 9u)
#define TPM_HEADER_SIZE 10u /* tag u16, size u32, code u32 (TPM 2.0 Part 1, 18.2) */
/* Largest swtpm CMD_HASH_DATA chunk (tpm_ioctl.h ptm_hdata: 4096 - sizeof(u32)). */
#define TPM_FRAME_HASH_MAX 4092u

enum tpm_frame_status {
	TPM_FRAME_BAD = -1, /* f->error says why; the connection is closed */
	TPM_FRAME_MORE = 0, /* not a whole frame yet */
	TPM_FRAME_OK = 1,   /* one frame of f->consumed bytes */
};

struct tpm_frame {
	uint32_t op;       /* simulator op / swtpm CMD_*; 0 for a swtpm data-port command */
	uint8_t locality;  /* TPM_SEND_COMMAND, CMD_SET_LOCALITY, CMD_RESET_TPMESTABLISHED */
	uint32_t arg;      /* u32 argument: handshake version, init flags, buffer size, ... */
	const uint8_t *data; /* TPM command or hash data, inside the caller's buffer */
	uint32_t data_len;
	size_t consumed;
	const char *error;
};

int tpm_frame_mssim_command(const uint8_t *buf, size_t len, struct tpm_frame *f);
int tpm_frame_mssim_platform(const uint8_t *buf, size_t len, struct tpm_frame *f);
int tpm_frame_swtpm_data(const uint8_t *buf, size_t len, struct tpm_frame *f);
int tpm_frame_swtpm_ctrl(const uint8_t *buf, size_t len, struct tpm_frame *f);

static inline uint32_t tpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void tpm_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
