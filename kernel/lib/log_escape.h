/*
 * How a task's keel_log text reaches a console: the one rule for the
 * kernel's serial port and keel-hosted's stderr (built both ways, like the
 * manifest parser). Every line of a call is written as "[NAME] TEXT\n", so
 * a task's output can never start a line the way the kernel's or the
 * launcher's own lines do ("keel: ...", "task '...' exited ..."), and every
 * byte a terminal could act on is written as the four characters \xNN:
 * C0 controls except tab (newline splits lines), DEL, and the bytes
 * 0x80-0x9f (C1 controls for a terminal in 8-bit mode). Bytes 0xa0-0xff pass,
 * so UTF-8 text whose continuation bytes are all >= 0xa0 stays readable;
 * the rest of UTF-8 arrives partly escaped, never harmful. Pure logic, no
 * libc: host-tested (tests/unit/kernel/test_log_escape.c).
 */
#ifndef KEEL_LIB_LOG_ESCAPE_H
#define KEEL_LIB_LOG_ESCAPE_H

#include <stddef.h>

/* Receives the formatted output in pieces, in order. */
typedef void (*log_put_fn)(void *ctx, const char *s, size_t n);

/* 1 if byte `c` of a log line is written as \xNN. */
int log_byte_escaped(unsigned char c);

/*
 * Writes the `len` bytes at `s` logged by task `name`: one "[NAME] ...\n"
 * line per '\n'-separated line (a final '\n' ends the last line and opens
 * no empty one; len 0 writes nothing). The name is escaped by the same rule.
 */
void log_emit(const char *name, const char *s, size_t len, log_put_fn put, void *ctx);

#endif
