/*
 * Mode service: serves SVSM protocol CS_PROTOCOL (manifest protocol=12)
 * for the test guest's mode `cpustate` (tests/guest/cpustate.c). Each call
 * number names the RFLAGS bits this task sets for its chan_reply to the
 * router; NT and AC then stay set (as a careless service would leave them)
 * into the next chan_recv, which blocks and lets the kernel finish the
 * guest's VMGEXIT with iretq. CS_CALL_FAULT makes it fault with NT set
 * instead of replying. Booted only (hosted, AC set means alignment checks).
 */
#include <string.h>

#include <keel/svsm.h>

#include "cpustate.h"

static uint64_t bits_for(uint32_t call)
{
	switch (call) {
	case CS_CALL_NT:
		return CS_RFLAGS_NT;
	case CS_CALL_AC:
		return CS_RFLAGS_AC;
	case CS_CALL_DF:
		return CS_RFLAGS_DF;
	case CS_CALL_IOPL:
		return CS_RFLAGS_IOPL;
	default:
		return CS_RFLAGS_NT | CS_RFLAGS_AC | CS_RFLAGS_DF | CS_RFLAGS_IOPL;
	}
}

int cs_service(void)
{
	static uint8_t buf[4096];
	unsigned served = 0;

	for (;;) {
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, buf, sizeof(buf));
		struct keel_svsm_call call;
		struct keel_svsm_result res;
		struct tline l;

		if (n < (long)sizeof(call)) {
			tl_init(&l, tcheck_prefix);
			tl_str(&l, "router recv ended: ");
			tl_dec(&l, n);
			tl_str(&l, " after ");
			tl_udec(&l, served);
			tl_str(&l, " calls");
			tl_emit(&l);
			return n == KEEL_EPEERCLOSED ? 0 : 1;
		}
		memcpy(&call, buf, sizeof(call));
		tl_init(&l, tcheck_prefix);
		tl_str(&l, "call ");
		tl_udec(&l, call.call);
		tl_str(&l, ": replying with RFLAGS bits ");
		tl_hex(&l, bits_for(call.call));
		tl_str(&l, " set");
		tl_emit(&l);
		if (call.call == CS_CALL_FAULT) {
			tlog(tcheck_prefix,
			     "faulting with NT set instead of replying (expect a kill)");
			cs_fault_with(CS_RFLAGS_NT);
		}
		memset(&res, 0, sizeof(res));
		res.hdr.op = KEEL_OP_SVSM_CALL;
		res.hdr.len = sizeof(res) - sizeof(res.hdr);
		res.rax = SVSM_SUCCESS;
		res.rcx = CS_REPLY_RCX(call.call);
		struct cs_call c = {KEEL_SYS_CHAN_REPLY,
		                    {KEEL_HANDLE_ROUTER, (long)&res, sizeof(res), 0, 0},
		                    bits_for(call.call),
		                    0};
		long r = cs_syscall(&c);
		if (r != 0)
			tcheck_eq("reply to the router", r, 0);
		cs_set_flags(bits_for(call.call) & (CS_RFLAGS_NT | CS_RFLAGS_AC));
		served++;
	}
}
