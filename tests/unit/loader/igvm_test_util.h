/* Helpers shared by the loader unit tests. */
#ifndef KEEL_IGVM_TEST_UTIL_H
#define KEEL_IGVM_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

#include "igvm_crc32.h"
#include "igvm_format.h"

/* Recompute the fixed header checksum after a test edits the headers. */
static inline void test_fix_crc(uint8_t *file)
{
	IGVM_FIXED_HEADER h;
	memcpy(&h, file, sizeof(h));
	h.checksum = 0;
	uint32_t crc = igvm_crc32_update(0, &h, sizeof(h));
	h.checksum = igvm_crc32_update(crc, file + h.variable_header_offset, h.variable_header_size);
	memcpy(file, &h, sizeof(h));
}

#endif
