/*
 * The router's side of the parts exchange (parts.h). One message buffer
 * for the big direction of each step (the part going out when pushing,
 * the part coming back when pulling) and a header-sized one for the other:
 * kernel memory, wiped by svsm_parts_wipe after each call.
 */
#include <keel/svsm.h>

#include "lib/kstring.h"
#include "svsm/call.h"
#include "svsm/parts.h"

static uint8_t part_big[KEEL_MSG_MAX];
static struct keel_svsm_part part_small;
static size_t big_used; /* bytes of part_big the last exchange touched */

static uint32_t part_len(uint32_t offset, uint32_t total)
{
	uint32_t left = total - offset;
	return left < SVSM_PART_MAX ? left : SVSM_PART_MAX;
}

/* The header every answer must carry: this op, len 8 + `data` bytes, this offset and total. */
static int part_hdr_ok(const struct keel_svsm_part *p, long n, uint32_t offset, uint32_t total,
                       uint32_t data)
{
	return n == (long)(sizeof(*p) + data) && p->hdr.op == KEEL_OP_SVSM_PART &&
	       p->hdr.len == sizeof(*p) - sizeof(p->hdr) + data && p->offset == offset &&
	       p->total == total;
}

uint32_t svsm_parts_push(uint32_t protocol, const uint8_t *data, uint32_t total)
{
	struct keel_svsm_part *p = (struct keel_svsm_part *)part_big;
	uint32_t off, len;
	for (off = 0; off < total; off += len) {
		len = part_len(off, total);
		p->hdr.op = KEEL_OP_SVSM_PART;
		p->hdr.len = (uint32_t)(sizeof(*p) - sizeof(p->hdr) + len);
		p->offset = off;
		p->total = total;
		memcpy(part_big + sizeof(*p), data + off, len);
		if (sizeof(*p) + len > big_used)
			big_used = sizeof(*p) + len;
		long n = svsm_service_call(protocol, part_big, sizeof(*p) + len, &part_small,
		                           sizeof(part_small));
		if (!part_hdr_ok(&part_small, n, off, total, 0))
			return SVSM_ERR_INVALID_REQUEST; /* a wrong answer, or the service is gone
			                                  */
	}
	return SVSM_SUCCESS;
}

uint32_t svsm_parts_pull(uint32_t protocol, uint8_t *dst, uint32_t total)
{
	const struct keel_svsm_part *p = (const struct keel_svsm_part *)part_big;
	uint32_t off, len;
	for (off = 0; off < total; off += len) {
		len = part_len(off, total);
		part_small.hdr.op = KEEL_OP_SVSM_PART;
		part_small.hdr.len = sizeof(part_small) - sizeof(part_small.hdr);
		part_small.offset = off;
		part_small.total = total;
		/* Capacity = the one right answer: anything longer fails at the channel (ETOOBIG).
		 */
		if (sizeof(*p) + len > big_used)
			big_used = sizeof(*p) + len;
		long n = svsm_service_call(protocol, &part_small, sizeof(part_small), part_big,
		                           sizeof(*p) + len);
		if (!part_hdr_ok(p, n, off, total, len))
			return SVSM_ERR_INVALID_REQUEST;
		memcpy(dst + off, part_big + sizeof(*p), len);
	}
	return SVSM_SUCCESS;
}

void svsm_parts_wipe(void)
{
	kmem_wipe(part_big, big_used);
	kmem_wipe(&part_small, sizeof(part_small));
	big_used = 0;
}
