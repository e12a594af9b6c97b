/*
 * The weak default of attest_guest_handle (guest_attest.h): protocol 1 is
 * not served; every request is answered KEEL_OP_ERROR with KEEL_ENOTSUP.
 * guest_attest.c, when linked, replaces it.
 */
#include <stdint.h>
#include <string.h>

#include <keel/errors.h>
#include <keel/msg.h>

#include "guest_attest.h"

__attribute__((weak)) size_t attest_guest_handle(const void *req, size_t len, void *rsp,
                                                 size_t cap)
{
	(void)req;
	(void)len;
	struct {
		struct keel_msg hdr;
		int32_t status;
	} r = {{KEEL_OP_ERROR, sizeof(int32_t)}, KEEL_ENOTSUP};
	if (cap < sizeof(r))
		return 0;
	memcpy(rsp, &r, sizeof(r));
	return sizeof(r);
}
