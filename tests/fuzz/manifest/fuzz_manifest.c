/* libFuzzer target: manifest_parse on arbitrary bytes, plus invariants of its result. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <keel/types.h>
#include "task/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct manifest m;
	char err[128];
	uint32_t i;
	if (manifest_parse(&m, (const char *)data, size, err, sizeof(err)) != 0) {
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			abort(); /* a rejection always says why */
		return 0;
	}
	if (m.ntasks == 0 || m.ntasks > MANIFEST_MAX_TASKS || m.nchannels > MANIFEST_MAX_CHANNELS)
		abort();
	for (i = 0; i < m.ntasks; i++) {
		const struct manifest_task *t = &m.tasks[i];
		if (strnlen(t->name, MANIFEST_NAME_MAX) == MANIFEST_NAME_MAX ||
		    strnlen(t->binary, MANIFEST_NAME_MAX) == MANIFEST_NAME_MAX ||
		    strnlen(t->arg, MANIFEST_ARG_MAX) == MANIFEST_ARG_MAX || t->memory == 0 ||
		    t->memory % 4096 || t->ndevices > MANIFEST_MAX_DEVICES ||
		    manifest_find_task(&m, t->name) != (int)i)
			abort();
	}
	for (i = 0; i < m.nchannels; i++) {
		const struct manifest_channel *c = &m.channels[i];
		if (c->a.task >= m.ntasks || c->b.task >= m.ntasks || c->a.handle >= KEEL_MAX_HANDLES ||
		    c->b.handle >= KEEL_MAX_HANDLES)
			abort();
	}
	return 0;
}
