/*
 * libFuzzer target: the TPM client frame parsers of keel-hosted
 * (tools/keel-hosted/tpm_frames.c). The first input byte picks the port
 * (mssim command / platform, swtpm data / control); the rest is the byte
 * stream a client sent, fed in as the front end does: chunked by the next
 * input bytes, consumed frame by frame. Checks: an accepted frame lies inside
 * what was buffered, is never empty and never carries more than the page
 * payload; a rejected one says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tpm_frames.h"

typedef int (*parser)(const uint8_t *, size_t, struct tpm_frame *);
static const parser parsers[4] = {tpm_frame_mssim_command, tpm_frame_mssim_platform,
				  tpm_frame_swtpm_data, tpm_frame_swtpm_ctrl};

static void check_frame(const uint8_t *buf, size_t len, const struct tpm_frame *f)
{
	if (f->consumed == 0 || f->consumed > len)
		abort();
	if (f->data && (f->data < buf || f->data + f->data_len > buf + f->consumed))
		abort();
	if (f->data_len > TPM_FRAME_CMD_MAX + 5)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[4096 + 64];
	size_t len = 0, pos = 1;
	parser p;
	if (size < 1)
		return 0;
	p = parsers[data[0] & 3];
	while (pos < size) {
		/* Arrival in chunks of 1..64 bytes, as recv() may deliver them. */
		size_t chunk = (size_t)(data[pos] & 63) + 1, room = sizeof(buf) - len;
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
		while ((st = p(buf, len, &f)) == TPM_FRAME_OK) {
			check_frame(buf, len, &f);
			memmove(buf, buf + f.consumed, len - f.consumed);
			len -= f.consumed;
		}
		if (st == TPM_FRAME_BAD) {
			if (!f.error || !f.error[0])
				abort();
			return 0; /* the front end closes the connection */
		}
		if (len == sizeof(buf))
			return 0; /* the front end closes: frame larger than its buffer */
	}
	return 0;
}
