/*
 * The guest port's frame parser (svsm_port.h): pure, no I/O, like
 * tpm_frames.c; the one place that reads a port client's bytes
 * (tests/fuzz/svsm-port/ calls it). The front end's conn_process calls it
 * as it calls the TPM parsers: "need more", "one frame of f->consumed
 * bytes" (f->data = the request header, the window after it), or "bad"
 * with f->arg = the enum svsm_port_status answered and f->error.
 */
#include <string.h>

#define SVSM_PORT_WIRE_ONLY
#include "svsm_port.h"
#include "tpm_frames.h"

int svsm_port_frame(const uint8_t *buf, size_t len, struct tpm_frame *f)
{
	struct svsm_port_req q;
	memset(f, 0, sizeof(*f));
	if (len >= 4 && (memcpy(&q.magic, buf, 4), q.magic != SVSM_PORT_MAGIC_REQ)) {
		f->arg = SVSM_PORT_BAD_MAGIC;
		f->error = svsm_port_status_name(f->arg);
		return TPM_FRAME_BAD;
	}
	if (len >= 8 && (memcpy(&q.version, buf + 4, 4), q.version != SVSM_PORT_VERSION)) {
		f->arg = SVSM_PORT_BAD_VERSION;
		f->error = svsm_port_status_name(f->arg);
		return TPM_FRAME_BAD;
	}
	if (len < sizeof(q))
		return TPM_FRAME_MORE;
	memcpy(&q, buf, sizeof(q));
	f->arg = q.window_len > SVSM_PORT_WINDOW_MAX ? SVSM_PORT_WINDOW_TOO_BIG
	         : q.window_len && q.window_gpa + q.window_len - 1 < q.window_gpa
	             ? SVSM_PORT_BAD_WINDOW
	         : q.reserved ? SVSM_PORT_BAD_RESERVED
	                      : SVSM_PORT_OK;
	if (f->arg != SVSM_PORT_OK) {
		f->error = svsm_port_status_name(f->arg);
		return TPM_FRAME_BAD;
	}
	if (len < sizeof(q) + q.window_len)
		return TPM_FRAME_MORE;
	f->data = buf;
	f->data_len = (uint32_t)(sizeof(q) + q.window_len);
	f->consumed = f->data_len;
	return TPM_FRAME_OK;
}
