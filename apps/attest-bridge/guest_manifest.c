/* The services manifest (guest_manifest.h). */
#include <string.h>

#include "guest_manifest.h"
#include "guest_proto.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

size_t attest_guest_manifest(const uint8_t *ekpub, size_t ek_len, uint8_t *out, size_t cap)
{
	static const uint8_t manifest_guid[16] = ATTEST_GUID_SERVICES_MANIFEST;
	static const uint8_t vtpm_guid[16] = ATTEST_GUID_VTPM;
	uint32_t count = ek_len ? 1u : 0u;
	size_t head = ATTEST_MANIFEST_ENTRY_SIZE * (1u + count);
	size_t total = head + ek_len;
	if (total > cap || total > 0xffffffffu)
		return 0;
	memcpy(out, manifest_guid, 16);
	put32(out + 16, (uint32_t)total);
	put32(out + 20, count);
	if (count) {
		memcpy(out + 24, vtpm_guid, 16);
		put32(out + 40, (uint32_t)head);
		put32(out + 44, (uint32_t)ek_len);
		memcpy(out + head, ekpub, ek_len);
	}
	return total;
}
