/*
 * libFuzzer: guest attestation buffers. A guest's protocol-1 call through
 * the kernel router's rcx-desc rules into attest-bridge's handler
 * (tests/unit/attest/guest_harness.c), or a raw router message straight
 * to attest_guest_handle. Input: byte 0 flags (bit 0 call 0/1, bit 1 raw
 * GPAs instead of guest-relative ones, bit 2 raw message, bits 3-4 vtpm
 * fake mode, bit 5 no report), then the request structure (88 bytes),
 * then guest memory. Every call must return an SVSM result code and
 * never write guest memory outside the buffers it names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <keel/svsm.h>

#include "../../../apps/attest-bridge/guest_attest.h"
#include "../../unit/attest/guest_harness.h"
#include "svsm/buffer_rule.h"

#define OP 0x100u

static uint8_t rsp[sizeof(struct keel_svsm_result) + SVSM_BUFFER_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		if (h_setup())
			abort();
		ready = 1;
	}
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	data++;
	size--;
	if (flags & 4) { /* a message no router would send */
		size_t n = attest_guest_handle(data, size, rsp, sizeof(rsp));
		if (n > sizeof(rsp))
			abort();
		return 0;
	}
	h_vtpm_mode = (flags >> 3) % 3;
	h_report_mode = (flags >> 5) & 1;
	memset(h_gmem, 0, sizeof(h_gmem));
	size_t op = size < 88 ? size : 88;
	memcpy(h_gmem + OP, data, op);
	if (size > op)
		memcpy(h_gmem + OP + 88, data + op,
		       size - op < sizeof(h_gmem) - OP - 88 ? size - op : sizeof(h_gmem) - OP - 88);
	if (!(flags & 2)) /* make the GPAs land in or near guest memory */
		for (unsigned off = 0; off < 64; off += 16) {
			uint64_t g;
			memcpy(&g, h_gmem + OP + off, 8);
			g = H_GBASE + g % (H_GSIZE + 0x2000);
			memcpy(h_gmem + OP + off, &g, 8);
		}
	struct svsm_regs r = h_call(flags & 1, H_GBASE + OP);
	if (r.rax != SVSM_SUCCESS && (r.rax < SVSM_ERR_INCOMPLETE || r.rax > SVSM_ERR_BUSY))
		abort();
	return 0;
}
