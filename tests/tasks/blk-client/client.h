/* blk-client: drives blkdev over handle 1 (tests/hosted/blkdev-hosted.sh,
 * tests/system/blkdev-booted.sh). One binary, mode in argv[1]. */
#ifndef BLK_CLIENT_H
#define BLK_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "../../../apps/blkdev/blk_protocol.h"

#define BLKC_HANDLE ((keel_handle_t)1)

extern unsigned blkc_checks, blkc_failed;

void blkc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One check: logs "ok: WHAT" or "FAIL: WHAT". */
void blkc_check(int cond, const char *what);

/* Byte i of block b written with seed s (the shell computes the same). */
uint8_t blkc_pattern(uint64_t b, uint32_t i, uint32_t s);

/* A raw request of `len` bytes in a 64 KiB buffer; returns the reply
 * length (or a KEEL_E*), the reply in *rsp (+ data for READ). */
long blkc_call(const void *req, size_t len, struct blk_rsp *rsp, uint8_t *data, size_t data_cap);

int32_t blkc_write(uint64_t block, uint32_t count, uint32_t seed, long *err);
int32_t blkc_read_check(uint64_t block, uint32_t count, uint32_t seed);
int32_t blkc_simple(uint32_t op, struct blk_rsp *rsp); /* INFO, FLUSH */

int blkc_bad_requests(uint64_t blocks);
int blkc_irq(int mode); /* 0 irq, 1 irq-dev, 2 irq-later */

#endif
