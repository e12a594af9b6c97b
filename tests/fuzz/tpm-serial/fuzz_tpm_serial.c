/*
 * libFuzzer target: keel-tpm-serial's parser of the guest's COM2 response
 * frames (tools/keel-tpm-serial/serial_frame.c, ktpm_response_parse). The
 * input is the byte stream the guest sent, fed in as main.c does: chunked by
 * the next input byte (1..64 bytes, as read() may deliver them), consumed
 * frame by frame. Checks: an accepted frame lies inside what was buffered,
 * holds a TPM header whose size field is the frame's, and never more than
 * an SVSM_VTPM_CMD page; "more" never follows a complete frame; a rejected
 * one says why; the parse is the same however the bytes arrived.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serial_frame.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_frame(const uint8_t *buf, size_t len, const struct ktpm_response *r)
{
	if (r->consumed == 0 || r->consumed > len || r->error)
		abort();
	if (r->data != buf + 4 || r->consumed != 4 + (size_t)r->len)
		abort();
	if (r->len < KTPM_TPM_HEADER || r->len > KTPM_RSP_MAX)
		abort();
	if (be32(buf) != r->len || be32(r->data + 2) != r->len)
		abort();
}

/* The whole stream at once: the number of frames, or -1 if it ended rejected. */
static int parse_whole(const uint8_t *buf, size_t len)
{
	int frames = 0;
	struct ktpm_response r;
	int st;
	while ((st = ktpm_response_parse(buf, len, &r)) == KTPM_OK) {
		check_frame(buf, len, &r);
		buf += r.consumed;
		len -= r.consumed;
		frames++;
	}
	if (st == KTPM_BAD) {
		if (!r.error || !r.error[0])
			abort();
		return -1;
	}
	if (st != KTPM_MORE || r.data || r.consumed)
		abort();
	return frames;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[8192], all[65536];
	size_t len = 0, pos = 0, all_len = 0;
	int frames = 0, whole;
	while (pos < size) {
		size_t chunk = (size_t)(data[pos] & 63) + 1, room = sizeof(buf) - len;
		struct ktpm_response r;
		int st;
		pos++;
		if (chunk > size - pos)
			chunk = size - pos;
		if (chunk > room)
			chunk = room;
		if (all_len + chunk > sizeof(all))
			return 0;
		memcpy(buf + len, data + pos, chunk);
		memcpy(all + all_len, data + pos, chunk);
		len += chunk;
		all_len += chunk;
		pos += chunk;
		while ((st = ktpm_response_parse(buf, len, &r)) == KTPM_OK) {
			check_frame(buf, len, &r);
			memmove(buf, buf + r.consumed, len - r.consumed);
			len -= r.consumed;
			frames++;
		}
		if (st == KTPM_BAD) {
			if (!r.error || !r.error[0] || r.data)
				abort();
			/* keel-tpm-serial gives up on the stream; so does a whole-stream parse. */
			if (parse_whole(all, all_len) != -1)
				abort();
			return 0;
		}
		if (len == sizeof(buf))
			abort(); /* a frame is at most 4 + KTPM_RSP_MAX bytes: never undecided this long */
	}
	whole = parse_whole(all, all_len);
	if (whole != frames)
		abort();
	return 0;
}
