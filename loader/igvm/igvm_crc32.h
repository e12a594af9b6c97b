/*
 * CRC32 as IGVM's fixed header uses it: the IEEE 802.3 / zlib CRC
 * (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF).
 * Bitwise, no table: headers are small and the shim has no room to spare.
 */
#ifndef KEEL_IGVM_CRC32_H
#define KEEL_IGVM_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0, feed pieces in order. */
uint32_t igvm_crc32_update(uint32_t crc, const void *data, size_t len);

#endif
