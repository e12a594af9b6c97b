/*
 * The guest's port I/O (docs/guest.md): COM1 (0x3f8-0x3ff) is emulated,
 * its output printed a line at a time on the console (so it does not
 * interleave with task logs mid-line); COM2 (0x2f8-0x2ff) is the real
 * UART, passed through (the passthrough guest's TPM link). Any other
 * port ends the guest.
 */
#ifndef KEEL_NATIVE_GUEST_IO_H
#define KEEL_NATIVE_GUEST_IO_H

#include <stdint.h>

#include "task/guest.h"

/* 0, or -1 if the guest may not use `port`. */
int guest_io_in(struct guest *g, uint16_t port, uint8_t *val);
int guest_io_out(struct guest *g, uint16_t port, uint8_t val);
/* Print what is left of an unterminated COM1 line (at the guest's end). */
void guest_io_flush(struct guest *g);

#endif
