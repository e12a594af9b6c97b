/*
 * The vtpm service: start-up (power on, first-start provisioning) and the
 * handling of one router message (docs/vtpm.md). server.c runs the loop.
 */
#ifndef VTPM_SERVICE_H
#define VTPM_SERVICE_H

#include <stddef.h>
#include <stdint.h>

/* Sets libtpms up and powers the TPM on, manufacturing it on first start. */
int vtpm_service_start(void);

/*
 * Answers the router message in[0..n) into out[0..cap) (cap >= KEEL_MSG_MAX
 * is always enough); returns the reply length. A malformed message gets a
 * KEEL_OP_ERROR reply.
 */
size_t vtpm_service_handle(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

#endif
