/*
 * libFuzzer target: keel-hosted's guest-port frame parser
 * (tools/keel-hosted/svsm_port_frame.c). The input is the byte stream a
 * port client sent, fed in as the front end does: chunked by the input's
 * own length bytes (1..256), consumed frame by frame from a buffer of the
 * front end's size. Checks: an accepted frame lies inside what was
 * buffered, is the header plus a window of at most SVSM_PORT_WINDOW_MAX
 * whose range does not wrap; a rejected one names a status and says why;
 * the buffer never fills without a verdict.
 */
#include <stdlib.h>
#include <string.h>

#define SVSM_PORT_WIRE_ONLY
#include "svsm_port.h"
#include "tpm_frames.h"

static void check_frame(const uint8_t *buf, size_t len, const struct tpm_frame *f)
{
	struct svsm_port_req q;
	if (f->consumed < sizeof(q) || f->consumed > len || f->data != buf ||
	    f->data_len != f->consumed)
		abort();
	memcpy(&q, buf, sizeof(q));
	if (q.magic != SVSM_PORT_MAGIC_REQ || q.version != SVSM_PORT_VERSION || q.reserved ||
	    q.window_len > SVSM_PORT_WINDOW_MAX || f->consumed != sizeof(q) + q.window_len)
		abort();
	if (q.window_len && q.window_gpa + q.window_len - 1 < q.window_gpa)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[sizeof(struct svsm_port_req) + SVSM_PORT_WINDOW_MAX];
	size_t len = 0, pos = 0;
	while (pos < size) {
		size_t chunk = (size_t)data[pos] + 1, room = sizeof(buf) - len;
		struct tpm_frame f;
		int st;
		pos++;
		if (chunk > size - pos)
			chunk = size - pos;
		if (chunk > room)
			chunk = room;
		memcpy(buf + len, data + pos, chunk);
		len += chunk;
		pos += chunk;
		while ((st = svsm_port_frame(buf, len, &f)) == TPM_FRAME_OK) {
			check_frame(buf, len, &f);
			memmove(buf, buf + f.consumed, len - f.consumed);
			len -= f.consumed;
		}
		if (st == TPM_FRAME_BAD) {
			if (!f.error || !f.error[0] || f.arg == SVSM_PORT_OK)
				abort();
			return 0; /* the front end answers the status and closes */
		}
		if (len == sizeof(buf))
			abort(); /* a full buffer must have been a frame or an error */
	}
	return 0;
}
