/*
 * A protocol service that replies well or badly on purpose, by call number
 * (tests/hosted/svsm-port.sh): the router's reply checks (kernel/svsm/
 * forward.c) judge it, hosted through keel-hosted's guest port as booted.
 *   call 1: the buffer back with every byte + 1; RCX = bytes, RDX = 0x1234, R8 = R9
 *   call 2: RAX above 32 bits             -> the guest gets SVSM_ERR_INVALID_REQUEST
 *   call 3: buf_len above what was sent   -> SVSM_ERR_INVALID_REQUEST (the channel
 *           refuses a reply over the router's capacity with KEEL_ETOOBIG: expected)
 *   call 4: a protocol-specific error 0x80001001, passed through
 *   call 5: exits without replying        -> SVSM_ERR_INVALID_REQUEST from then on
 *   other:  SVSM_ERR_UNSUPPORTED_CALL
 */
#include <string.h>

#include <keel/svsm.h>
#include <keel/syscall.h>

#include "../hostile/tlog.h"

static uint8_t buf[KEEL_MSG_MAX];

int main(void)
{
	for (;;) {
		struct keel_svsm_call c;
		struct keel_svsm_result r;
		uint32_t i, extra = 0;
		long n = keel_chan_recv(KEEL_HANDLE_ROUTER, buf, sizeof(buf));
		if (n == KEEL_EPEERCLOSED)
			return 0;
		if (n < (long)sizeof(c)) {
			tlog("svsm-reply", "FAIL - bad request");
			return 1;
		}
		memcpy(&c, buf, sizeof(c));
		memset(&r, 0, sizeof(r));
		r.hdr.op = KEEL_OP_SVSM_CALL;
		switch (c.call) {
		case 1:
			for (i = 0; i < c.buf_len && sizeof(c) + i < (size_t)n; i++)
				buf[sizeof(r) + i] = (uint8_t)(buf[sizeof(c) + i] + 1);
			r.buf_len = i;
			r.rcx = i;
			r.rdx = 0x1234;
			r.r8 = c.r9;
			break;
		case 2:
			r.rax = 1ull << 32;
			break;
		case 3:
			r.buf_len = c.buf_len + 1;
			extra = r.buf_len;
			memset(buf + sizeof(r), 0xaa, extra);
			break;
		case 4:
			r.rax = SVSM_ERR_PROTOCOL_BASE + 1;
			break;
		case 5:
			tlog("svsm-reply", "call 5: exiting without a reply");
			return 0;
		default:
			r.rax = SVSM_ERR_UNSUPPORTED_CALL;
		}
		if (!extra)
			extra = r.buf_len;
		r.hdr.len = (uint32_t)(sizeof(r) - sizeof(r.hdr) + extra);
		memcpy(buf, &r, sizeof(r));
		n = keel_chan_reply(KEEL_HANDLE_ROUTER, buf, sizeof(r) + extra);
		if (n == KEEL_ETOOBIG && c.call == 3)
			continue; /* more than the router's reply capacity: refused at the channel
			             already */
		if (n < 0) {
			tlog("svsm-reply", "FAIL - reply");
			return 1;
		}
	}
}
