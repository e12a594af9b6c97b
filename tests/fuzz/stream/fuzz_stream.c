/*
 * libFuzzer target for the byte stream's two checks of outside input:
 * consdev's request check (apps/consdev/request.c: whatever it accepts is
 * within the message and STREAM_CHUNK_MAX) and the reset-line scanner
 * (apps/consdev/reset_line.h, used by consdev and keel-proxy): fed the
 * input byte by byte, the data it lets through and the lines it finds
 * must equal a plain split of the input at every RESET_LINE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../apps/consdev/request.h"
#include "../../../apps/consdev/reset_line.h"
#include "../../../apps/consdev/stream_protocol.h"

static void check_request(const uint8_t *d, size_t n)
{
	struct stream_checked c;
	if (stream_request_check(d, n, &c) != STREAM_OK)
		return;
	if (c.op == STREAM_OP_WRITE &&
	    (c.count == 0 || c.count > STREAM_CHUNK_MAX ||
	     c.data != d + sizeof(struct stream_req) || sizeof(struct stream_req) + c.count != n))
		abort();
	if (c.op == STREAM_OP_READ &&
	    (c.max == 0 || c.max > STREAM_CHUNK_MAX || n != sizeof(struct stream_req)))
		abort();
	if (c.op != STREAM_OP_WRITE && c.op != STREAM_OP_READ && c.op != STREAM_OP_RESET)
		abort();
}

static void check_scanner(const uint8_t *d, size_t n)
{
	struct reset_scan s = {0};
	uint8_t *out = malloc(n + 1), *want = malloc(n + 1);
	size_t on = 0, wn = 0, lines = 0, want_lines = 0;
	for (size_t i = 0; i < n; i++) {
		size_t flush;
		int held;
		int done = reset_scan_byte(&s, d[i], &flush, &held);
		if (flush > RESET_LINE_LEN)
			abort();
		memcpy(out + on, RESET_LINE, flush);
		on += flush;
		if (done)
			lines++;
		else if (!held)
			out[on++] = d[i];
	}
	memcpy(out + on, RESET_LINE, s.matched); /* held at the end: data if the stream ended */
	on += s.matched;
	for (size_t i = 0; i < n;) {
		if (n - i >= RESET_LINE_LEN && !memcmp(d + i, RESET_LINE, RESET_LINE_LEN)) {
			want_lines++;
			i += RESET_LINE_LEN;
		} else
			want[wn++] = d[i++];
	}
	if (lines != want_lines || on != wn || memcmp(out, want, on))
		abort();
	free(out);
	free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	check_request(d, n);
	check_scanner(d, n);
	return 0;
}
