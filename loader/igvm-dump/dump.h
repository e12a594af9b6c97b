/* igvm-dump internals. */
#ifndef KEEL_IGVM_DUMP_H
#define KEEL_IGVM_DUMP_H

#include "igvm_parse.h"

void dump_native_context(const uint8_t *data);
void dump_vmsa(const uint8_t *data);
int dump_directive(const struct igvm_directive *d, void *ctx);

#endif
