/*
 * The test guest's COM2 framing (docs/guest.md, tests/guest/passthrough.c),
 * big-endian:
 *   request  u32 magic 'KTPM' | u8 locality | u32 size | command[size]
 *   response u32 size | response[size]
 *   exit     u32 magic | u8 0xff | u32 0   (the guest exits 0)
 * Pure: building requests and parsing responses (the one place that reads
 * the guest's bytes; fuzz-friendly: bytes in, verdict out).
 */
#ifndef KEEL_TPM_SERIAL_FRAME_H
#define KEEL_TPM_SERIAL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define KTPM_MAGIC 0x4b54504du
#define KTPM_REQ_HEADER 9u
#define KTPM_EXIT_LOCALITY 0xffu
#define KTPM_CMD_MAX (4096u - 9u)  /* what one SVSM_VTPM_CMD page holds */
#define KTPM_RSP_MAX (4096u - 4u)
#define KTPM_TPM_HEADER 10u        /* tag u16, size u32, code u32 */

enum ktpm_status { KTPM_BAD = -1, KTPM_MORE = 0, KTPM_OK = 1 };

struct ktpm_response {
	const uint8_t *data; /* inside the caller's buffer */
	uint32_t len;
	size_t consumed;
	const char *error; /* KTPM_BAD: why */
};

/* Request frame for `cmd` into out (KTPM_REQ_HEADER + len bytes); 0, or -1 if len is too big. */
int ktpm_request(uint8_t *out, size_t cap, uint8_t locality, const uint8_t *cmd, uint32_t len);
/* The exit frame (KTPM_REQ_HEADER bytes). */
void ktpm_exit_frame(uint8_t out[KTPM_REQ_HEADER]);
/* Parse what the guest sent so far. */
int ktpm_response_parse(const uint8_t *buf, size_t len, struct ktpm_response *r);

#endif
