/*
 * libFuzzer target: the whole MM entry point of the variable service
 * (uv_mm_request: header, variable functions, policy, varadmin, phase
 * events, authenticated writes) on a memory-only store. Several requests
 * per input (fuzz_uefivars_mm.h) so later ones meet the state earlier
 * ones made. Each guest buffer is its own exact-size allocation, so a
 * read or write past it is an ASan report. After every request: the
 * reply fits the buffer, and a refused buffer has nothing to copy back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <keel/svsm.h>

#include "fuzz_uefivars_mm.h"
#include "mm_wire.h"
#include "uefivars.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void one_request(struct uefivars *uv, const uint8_t *data, size_t bufsize, size_t n)
{
	uint8_t *buf = calloc(1, bufsize);
	uint64_t rc = 0xdead;

	if (buf == NULL)
		abort();
	memcpy(buf, data, n);
	size_t out = uv_mm_request(uv, buf, bufsize, &rc);
	if (out > bufsize)
		abort(); /* more to copy back than the guest gave */
	if (rc != SVSM_SUCCESS && (rc != SVSM_ERR_INVALID_PARAMETER || out != 0))
		abort();
	if (rc == SVSM_SUCCESS && out < sizeof(struct mm_header))
		abort(); /* an answered buffer keeps its header */
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uefivars uv;

	memset(&uv, 0, sizeof(uv));
	if (uv_init(&uv, KEEL_HANDLE_NONE, NULL, 0) != EFI_SUCCESS)
		abort(); /* a memory-only store always starts */
	for (unsigned i = 0; i < FUZZ_UV_MAX_RECORDS && size >= FUZZ_UV_RECORD_HEADER; i++) {
		uint32_t b = rd32(data);
		size_t n = rd32(data + 4), bufsize;
		data += FUZZ_UV_RECORD_HEADER;
		size -= FUZZ_UV_RECORD_HEADER;
		if (n > size)
			n = size;
		if (b & FUZZ_UV_TIGHT) {
			bufsize = n + (b & 0xff);
			if (bufsize < MM_BUFFER_MIN)
				bufsize = MM_BUFFER_MIN;
			if (bufsize > MM_BUFFER_MAX)
				bufsize = MM_BUFFER_MAX;
		} else {
			bufsize = MM_BUFFER_MIN + b % (MM_BUFFER_MAX - MM_BUFFER_MIN + 1);
		}
		if (n > bufsize)
			n = bufsize;
		one_request(&uv, data, bufsize, n);
		data += n;
		size -= n;
	}
	uv_fini(&uv);
	return 0;
}
