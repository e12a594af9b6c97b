/*
 * Large guest buffers between the router and a service, in parts
 * (keel/svsm.h, KEEL_OP_SVSM_PART; docs/svsm-routing.md, "Large buffers"):
 * the router's side, used by forward.c for buffers above SVSM_INLINE_MAX.
 * Every part is exactly min(SVSM_PART_MAX, bytes left) long; every answer
 * is checked (op, lengths, offset, total) and any deviation, or a failed
 * channel call, ends the exchange with SVSM_ERR_INVALID_REQUEST.
 */
#ifndef KEEL_SVSM_PARTS_H
#define KEEL_SVSM_PARTS_H

#include <stdint.h>

/* Send data[0..total) to the service of `protocol`, each part acknowledged empty. */
uint32_t svsm_parts_push(uint32_t protocol, const uint8_t *data, uint32_t total);
/* Ask the service for the `total` bytes of its result, into dst[0..total). */
uint32_t svsm_parts_pull(uint32_t protocol, uint8_t *dst, uint32_t total);
/* Zero what the last push or pull left in the part buffers (guest data, secrets). */
void svsm_parts_wipe(void);

#endif
