/*
 * libFuzzer target: fdstore_parse (apps/uefivars/fdstore.c), the raw edk2
 * varstore parser the service runs on its default store and keel-varctl
 * on `import FILE`. Besides the sanitizers, every variable it passes on
 * must lie inside the input, with a NUL-terminated even-sized name, and a
 * failure must come with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdstore.h"

static const uint8_t *in_lo, *in_hi;

static int check_var(void *arg, const struct fd_var *v)
{
	const uint8_t *name = (const uint8_t *)v->name;
	uint16_t last;
	(void)arg;
	if (name < in_lo || v->name_size > (size_t)(in_hi - name) || v->data < in_lo ||
	    v->size > (size_t)(in_hi - v->data))
		abort(); /* a variable outside the input */
	if (v->name_size < 2 || v->name_size % 2)
		abort();
	memcpy(&last, name + v->name_size - 2, 2);
	if (last)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128];
	in_lo = data;
	in_hi = data + size;
	if (fdstore_parse(data, size, check_var, NULL, err, sizeof(err)) < 0 && !err[0])
		abort(); /* refused without saying why */
	return 0;
}
