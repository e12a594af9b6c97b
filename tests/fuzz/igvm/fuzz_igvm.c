/*
 * libFuzzer target for the IGVM parser (loader/igvm): every input is parsed
 * as is, then again with its CRC32 made valid so mutations reach the
 * header checks. An accepted file is walked and measured completely.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_crc32.h"
#include "igvm_parse.h"
#include "snp_measure.h"

static void walk(const uint8_t *buf, size_t len)
{
	struct igvm_file f;
	struct igvm_error e;
	struct igvm_directive d;
	struct igvm_iter it;
	uint32_t sink = 0;

	if (igvm_parse(&f, buf, len, &e) != IGVM_OK) {
		if (!e.msg || e.code >= 0)
			abort(); /* every rejection carries a code and a message */
		return;
	}
	igvm_iter_init(&it, &f);
	while (igvm_iter_next(&it, &d) == 1)
		for (uint32_t i = 0; d.data && i < d.data_size; i += 4096)
			sink += d.data[i];
	if (igvm_iter_next(&it, &d) < 0)
		abort(); /* iteration of an accepted file cannot fail */
	uint8_t digest[SNP_DIGEST_SIZE];
	const char *msg;
	(void)snp_measure(&f, NULL, digest, &msg);
	(void)snp_check_kvm(&f, &msg);
	if (sink == 0xFFFFFFFFu) /* keep the reads */
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk(data, size);
	if (size < sizeof(IGVM_FIXED_HEADER) || size > (64u << 20))
		return 0;
	uint8_t *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	IGVM_FIXED_HEADER h;
	memcpy(&h, copy, sizeof(h));
	if (h.variable_header_offset <= size && h.variable_header_size <= size - h.variable_header_offset) {
		h.checksum = 0;
		uint32_t crc = igvm_crc32_update(0, &h, sizeof(h));
		h.checksum = igvm_crc32_update(crc, copy + h.variable_header_offset, h.variable_header_size);
		memcpy(copy, &h, sizeof(h));
		walk(copy, size);
	}
	free(copy);
	return 0;
}
