/* Asking the vtpm for its EK public (guest_ekpub.h). */
#include <stdio.h>
#include <string.h>

#include <keel/msg.h>
#include <keel/syscall.h>

#include "../vtpm/vtpm_protocol.h"
#include "guest_ekpub.h"

static unsigned vtpm_slot = 3; /* the planned manifest: channel attest-bridge:3 vtpm:2 */
static int warned;

void attest_guest_set_vtpm(unsigned slot)
{
	vtpm_slot = slot;
}

size_t attest_guest_ekpub(uint8_t *out, size_t cap)
{
	static uint8_t rsp[sizeof(struct keel_msg) + VTPM_EKPUB_MAX];
	struct keel_msg req = {VTPM_OP_EKPUB, 0};
	const struct keel_msg *h = (const struct keel_msg *)rsp;
	long n = keel_chan_call(KEEL_HANDLE_MAKE(vtpm_slot, 0), &req, sizeof(req), rsp, sizeof(rsp));
	/* The vtpm's answer is checked like any peer's: framing, op, size. */
	if (n < 0 || keel_msg_check(rsp, (size_t)n) || h->op != VTPM_OP_EKPUB || h->len == 0 ||
	    h->len > cap) {
		if (!warned++)
			printf("attest-bridge: no EK public from the vtpm on slot %u (%ld): "
			       "the services manifest lists no vTPM\n",
			       vtpm_slot, n < 0 ? n : 0L);
		return 0;
	}
	memcpy(out, rsp + sizeof(*h), h->len);
	return h->len;
}
