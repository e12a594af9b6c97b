/*
 * The few guest instructions the native platform emulates (docs/guest.md).
 * At CPL3 they fault: RDMSR/WRMSR, IN/OUT and HLT raise #GP, VMGEXIT
 * (rep vmmcall) raises #UD under TCG. Pure decode of the bytes at RIP.
 */
#ifndef KEEL_NATIVE_GUEST_INSN_H
#define KEEL_NATIVE_GUEST_INSN_H

#include <stddef.h>
#include <stdint.h>

enum guest_insn_kind {
	GI_UNKNOWN = 0,
	GI_RDMSR,   /* 0F 32 */
	GI_WRMSR,   /* 0F 30 */
	GI_VMGEXIT, /* F3 0F 01 D9 (rep vmmcall) */
	GI_HLT,     /* F4: the guest's exit, status in RAX */
	GI_IN,      /* EC (in al, dx) / E4 ib (in al, imm8) */
	GI_OUT,     /* EE (out dx, al) / E6 ib (out imm8, al) */
};

struct guest_insn {
	enum guest_insn_kind kind;
	unsigned len;
	int port_imm; /* IN/OUT: 1 if the port is the immediate, 0 if DX */
	uint8_t imm;
};

#define GUEST_INSN_MAX 4 /* bytes worth fetching */

/* Decode the n bytes at RIP (n may be short near an unmapped page). 0, or -1 (GI_UNKNOWN). */
int guest_insn_decode(const uint8_t *b, size_t n, struct guest_insn *out);

#endif
