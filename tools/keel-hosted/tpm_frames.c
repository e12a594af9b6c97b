/*
 * Parsing of TPM client frames (tpm_frames.h). Every length is checked
 * against the bytes present and against the page payload before anything
 * is read; nothing here keeps state between calls.
 */
#include <string.h>

#include "tpm_frames.h"

static int frame_bad(struct tpm_frame *f, const char *why)
{
	f->error = why;
	return TPM_FRAME_BAD;
}

static int frame_ok(struct tpm_frame *f, size_t consumed)
{
	f->consumed = consumed;
	return TPM_FRAME_OK;
}

/* u32 size + bytes, starting at `off`; the size may not exceed `max`. */
static int var_bytes(const uint8_t *buf, size_t len, size_t off, uint32_t max,
		     struct tpm_frame *f, const char *too_big)
{
	uint32_t n;
	if (len < off + 4)
		return TPM_FRAME_MORE;
	n = tpm_be32(buf + off);
	if (n > max)
		return frame_bad(f, too_big);
	if (len < off + 4 + n)
		return TPM_FRAME_MORE;
	f->data = buf + off + 4;
	f->data_len = n;
	return frame_ok(f, off + 4 + n);
}

/* One u32 argument after the op. */
static int u32_arg(const uint8_t *buf, size_t len, size_t off, struct tpm_frame *f)
{
	if (len < off + 4)
		return TPM_FRAME_MORE;
	f->arg = tpm_be32(buf + off);
	return frame_ok(f, off + 4);
}

int tpm_frame_mssim_command(const uint8_t *buf, size_t len, struct tpm_frame *f)
{
	memset(f, 0, sizeof(*f));
	if (len < 4)
		return TPM_FRAME_MORE;
	f->op = tpm_be32(buf);
	switch (f->op) {
	case TPM_SEND_COMMAND:
		if (len < 5)
			return TPM_FRAME_MORE;
		f->locality = buf[4];
		return var_bytes(buf, len, 5, TPM_FRAME_CMD_MAX, f,
				 "TPM command larger than the 4087 bytes an SVSM_VTPM_CMD page holds");
	case TPM_SIGNAL_HASH_DATA:
		return var_bytes(buf, len, 4, TPM_FRAME_HASH_MAX, f, "hash data larger than 4092 bytes");
	case TPM_REMOTE_HANDSHAKE:
	case TPM_SET_ALTERNATIVE_RESULT:
		return u32_arg(buf, len, 4, f);
	case TPM_SIGNAL_HASH_START:
	case TPM_SIGNAL_HASH_END:
	case TPM_SESSION_END:
	case TPM_STOP:
		return frame_ok(f, 4);
	default:
		return frame_bad(f, "unknown command-port op");
	}
}

int tpm_frame_mssim_platform(const uint8_t *buf, size_t len, struct tpm_frame *f)
{
	memset(f, 0, sizeof(*f));
	if (len < 4)
		return TPM_FRAME_MORE;
	f->op = tpm_be32(buf);
	switch (f->op) {
	case TPM_SIGNAL_POWER_ON:
	case TPM_SIGNAL_POWER_OFF:
	case TPM_SIGNAL_PHYS_PRES_ON:
	case TPM_SIGNAL_PHYS_PRES_OFF:
	case TPM_SIGNAL_CANCEL_ON:
	case TPM_SIGNAL_CANCEL_OFF:
	case TPM_SIGNAL_NV_ON:
	case TPM_SIGNAL_NV_OFF:
	case TPM_SIGNAL_KEY_CACHE_ON:
	case TPM_SIGNAL_KEY_CACHE_OFF:
	case TPM_SIGNAL_RESET:
	case TPM_SIGNAL_RESTART:
	case TPM_SESSION_END:
	case TPM_STOP:
	case TPM_TEST_FAILURE_MODE:
	case TPM_GET_COMMAND_RESPONSE_SIZES:
		return frame_ok(f, 4);
	default:
		return frame_bad(f, "unknown platform-port op");
	}
}

int tpm_frame_swtpm_data(const uint8_t *buf, size_t len, struct tpm_frame *f)
{
	uint32_t size;
	memset(f, 0, sizeof(*f));
	if (len < TPM_HEADER_SIZE)
		return TPM_FRAME_MORE;
	size = tpm_be32(buf + 2);
	if (size < TPM_HEADER_SIZE)
		return frame_bad(f, "TPM command header gives a size below 10 bytes");
	if (size > TPM_FRAME_CMD_MAX)
		return frame_bad(f, "TPM command larger than the 4087 bytes an SVSM_VTPM_CMD page holds");
	if (len < size)
		return TPM_FRAME_MORE;
	f->data = buf;
	f->data_len = size;
	return frame_ok(f, size);
}

/* Fixed request payload sizes (after the u32 op) of the control commands we take. */
static int ctrl_fixed_size(uint32_t op)
{
	switch (op) {
	case CMD_GET_CAPABILITY:
	case CMD_SHUTDOWN:
	case CMD_GET_TPMESTABLISHED:
	case CMD_HASH_START:
	case CMD_HASH_END:
	case CMD_CANCEL_TPM_CMD:
	case CMD_STORE_VOLATILE:
	case CMD_STOP:
	case CMD_GET_CONFIG:
	case CMD_SET_DATAFD: /* the fd travels beside the op (SCM_RIGHTS) */
		return 0;
	case CMD_SET_LOCALITY:
	case CMD_RESET_TPMESTABLISHED:
		return 1;
	case CMD_INIT:
	case CMD_SET_BUFFERSIZE:
	case CMD_LOCK_STORAGE:
		return 4;
	case CMD_GET_INFO:
		return 12; /* u64 flags, u32 offset */
	default:
		return -1;
	}
}

/*
 * A request whose C struct is padded: tpm_ioctl.h's ptm_loc and ptm_reset_est
 * are unions with a u32 answer, so QEMU sends u8 locality + 3 zero bytes,
 * the tpm2-tss TCTI the u8 alone; ptm_getinfo's request ends in a u32 pad.
 * swtpm takes one command per read and ignores what follows; over a byte
 * stream, zero bytes right after the short form are taken as the padding
 * (clients wait for each answer, so nothing else follows a command).
 */
static int padded(const uint8_t *buf, size_t len, size_t base, size_t full, struct tpm_frame *f)
{
	size_t i;
	if (len < base)
		return TPM_FRAME_MORE;
	for (i = base; i < len && i < full; i++)
		if (buf[i])
			return frame_ok(f, base);
	if (len >= full)
		return frame_ok(f, full);
	return len == base ? frame_ok(f, base) : TPM_FRAME_MORE;
}

int tpm_frame_swtpm_ctrl(const uint8_t *buf, size_t len, struct tpm_frame *f)
{
	int n;
	memset(f, 0, sizeof(*f));
	if (len < 4)
		return TPM_FRAME_MORE;
	f->op = tpm_be32(buf);
	if (f->op == CMD_HASH_DATA)
		return var_bytes(buf, len, 4, TPM_FRAME_HASH_MAX, f, "hash data larger than 4092 bytes");
	n = ctrl_fixed_size(f->op);
	if (n < 0)
		return frame_bad(f, "unsupported control command (state blobs are not offered)");
	if (len < 4 + (size_t)n)
		return TPM_FRAME_MORE;
	if (n == 1) {
		f->locality = buf[4];
		return padded(buf, len, 5, 8, f);
	}
	if (n == 12) {
		f->arg = tpm_be32(buf + 12); /* the offset; flags are not needed */
		return padded(buf, len, 16, 20, f);
	}
	if (n == 4)
		f->arg = tpm_be32(buf + 4);
	return frame_ok(f, 4 + (size_t)n);
}
