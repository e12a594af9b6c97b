/* Decoding the guest's trapping instructions (guest_insn.h). Byte I/O only. */
#include "platform/native/guest_insn.h"

static int set(struct guest_insn *out, enum guest_insn_kind k, unsigned len)
{
	out->kind = k;
	out->len = len;
	return 0;
}

int guest_insn_decode(const uint8_t *b, size_t n, struct guest_insn *out)
{
	*out = (struct guest_insn){GI_UNKNOWN, 0, 0, 0};
	if (n >= 4 && b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x01 && b[3] == 0xd9)
		return set(out, GI_VMGEXIT, 4);
	if (n >= 2 && b[0] == 0x0f && b[1] == 0x32)
		return set(out, GI_RDMSR, 2);
	if (n >= 2 && b[0] == 0x0f && b[1] == 0x30)
		return set(out, GI_WRMSR, 2);
	if (n >= 1 && b[0] == 0xf4)
		return set(out, GI_HLT, 1);
	if (n >= 1 && (b[0] == 0xec || b[0] == 0xee))
		return set(out, b[0] == 0xec ? GI_IN : GI_OUT, 1);
	if (n >= 2 && (b[0] == 0xe4 || b[0] == 0xe6)) {
		out->port_imm = 1;
		out->imm = b[1];
		return set(out, b[0] == 0xe4 ? GI_IN : GI_OUT, 2);
	}
	return -1;
}
