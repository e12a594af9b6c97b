/* libFuzzer target: bundle_parse on arbitrary bytes; every accepted entry is read in full. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "task/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keel_bundle b;
	char err[128];
	uint64_t *copy = malloc(size + 8); /* exact-size, 8-byte aligned: ASan sees overreads */
	volatile uint8_t sink = 0;
	uint32_t i;
	size_t k;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (bundle_parse(&b, copy, size, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || !memchr(err, '\0', sizeof(err)))
			abort();
		free(copy);
		return 0;
	}
	for (i = 0; i < b.count; i++) {
		const void *d;
		size_t n;
		if (bundle_find(&b, b.entries[i].name, &d, &n) != 0 || n != b.entries[i].size)
			abort();
		for (k = 0; k < n; k++)
			sink ^= ((const uint8_t *)d)[k];
	}
	(void)sink;
	free(copy);
	return 0;
}
