/*
 * Internal to igvm_parse.c: decode one variable header at a file offset
 * into a struct igvm_directive, checking everything that depends only on
 * the header itself and the file (lengths, alignment, reserved bits, file
 * data bounds). Checks that depend on earlier headers live in igvm_parse.c.
 */
#ifndef KEEL_IGVM_DECODE_H
#define KEEL_IGVM_DECODE_H

#include "igvm_parse.h"

/* Decode the header at `pos`; on success *next is where the next one starts. */
int igvm_decode_header(const struct igvm_file *f, uint32_t pos, struct igvm_directive *d,
		       uint32_t *next, struct igvm_error *err);

int igvm_fail(struct igvm_error *err, int code, const char *msg, uint32_t offset);

#endif
