/*
 * libFuzzer target: the native platform's decoder of the guest's trapping
 * instructions (kernel/platform/native/guest_insn.c). The input is what
 * guest_trap's fetch() could hand it: up to GUEST_INSN_MAX bytes at RIP,
 * fewer when the next page is unmapped (the first input byte picks how
 * many). It must never read past the bytes it was given, must decode an
 * instruction only when all of its bytes are there, and must agree with the
 * byte patterns of docs/guest.md. tests/hosted/fuzz-guest-decode.sh runs it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/native/guest_insn.h"

static unsigned expected_len(const uint8_t *b, size_t n, enum guest_insn_kind k)
{
	switch (k) {
	case GI_VMGEXIT:
		return n >= 4 && !memcmp(b, "\xf3\x0f\x01\xd9", 4) ? 4 : 0;
	case GI_RDMSR:
		return n >= 2 && b[0] == 0x0f && b[1] == 0x32 ? 2 : 0;
	case GI_WRMSR:
		return n >= 2 && b[0] == 0x0f && b[1] == 0x30 ? 2 : 0;
	case GI_HLT:
		return n >= 1 && b[0] == 0xf4 ? 1 : 0;
	case GI_IN:
		return n >= 1 && b[0] == 0xec ? 1 : n >= 2 && b[0] == 0xe4 ? 2 : 0;
	case GI_OUT:
		return n >= 1 && b[0] == 0xee ? 1 : n >= 2 && b[0] == 0xe6 ? 2 : 0;
	default:
		return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_insn in;
	if (size < 1)
		return 0;
	size_t n = data[0] % (GUEST_INSN_MAX + 1);
	if (n > size - 1)
		n = size - 1;
	/* Exactly n bytes on the heap: ASan catches a read of byte n. */
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return 0;
	memcpy(b, data + 1, n);
	int rc = guest_insn_decode(b, n, &in);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && (in.kind != GI_UNKNOWN || in.len != 0))
		abort();
	if (rc == 0) {
		if (in.len == 0 || in.len > n || in.len > GUEST_INSN_MAX)
			abort();
		if (in.len != expected_len(b, n, in.kind))
			abort();
		if ((in.kind == GI_IN || in.kind == GI_OUT) && in.port_imm != (in.len == 2))
			abort();
		if (in.port_imm && in.imm != b[1])
			abort();
	}
	free(b);
	return 0;
}
