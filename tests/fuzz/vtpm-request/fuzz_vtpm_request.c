/*
 * libFuzzer target for the vtpm's request parser (apps/vtpm/request.c):
 * the input is a router message; if it decodes as an SVSM call, its
 * buffer goes through the SVSM_VTPM_CMD page parser, and a response made
 * from the parsed command is encoded back into a page. Checks the parser's
 * promises: pointers stay inside the input, sizes within the page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../../apps/vtpm/request.h"

static uint8_t page[VTPM_BUFFER_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtpm_msg m;
	struct vtpm_cmd c;
	/* copy so ASan sees reads past the exact input length */
	uint8_t *in = malloc(size ? size : 1);
	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	if (vtpm_msg_decode(in, size, &m) == 0 && m.kind == VTPM_MSG_SVSM_CALL) {
		if (m.buf < in || m.buf + m.buf_len > in + size)
			abort();
		if (vtpm_cmd_parse(m.buf, m.buf_len, &c) == SVSM_SUCCESS) {
			if (c.size > VTPM_MAX_COMMAND || c.command + c.size > m.buf + m.buf_len)
				abort();
			size_t n = vtpm_rsp_encode(page, sizeof(page), c.command, c.size);
			if (n < 14 || n > sizeof(page))
				abort();
		}
	}
	/* the page parser alone, on the raw input */
	if (vtpm_cmd_parse(in, size, &c) == SVSM_SUCCESS && c.command + c.size > in + size)
		abort();
	free(in);
	return 0;
}
