/*
 * storaged-client: the test task that drives storaged through the client
 * library (apps/storaged/client.c) and raw requests. One binary, the mode
 * in argv[1] (tests/hosted/storaged-hosted.sh lists them). Every check
 * logs "check ok: WHAT" or "check FAIL: WHAT"; the run ends with
 * "summary: N checks, M failed".
 */
#ifndef SC_H
#define SC_H

#include <stddef.h>
#include <stdint.h>

#include <keel/types.h>

/* Handle slots: 1 reaches namespace alpha, 2 namespace beta (or the key channel for a key sender).
 */
#define SC_ALPHA 1u
#define SC_BETA 2u
#define SC_KEY 1u

void sc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sc_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sc_summary(void);

/* A deterministic pattern: object `tag`, byte i. */
void sc_fill(uint8_t *buf, size_t len, unsigned tag);
int sc_is(const uint8_t *buf, size_t len, unsigned tag);
/* The status of one raw request (name as 48 raw bytes) and its answer's size field. */
int sc_raw(keel_handle_t h, uint32_t op, const char name[48], uint64_t offset, uint64_t length,
           const void *data, size_t dlen, uint64_t *size);

int sc_mode_api(void);
int sc_mode_two(void);
int sc_mode_limits(void);
int sc_mode_persist(int write);
int sc_mode_key(const char *how);
int sc_mode_locked_get(int want_locked);
int sc_mode_fault(const char *step);
int sc_mode_bench(unsigned long n);

/* The raw write+flush next to storaged's commit (raw_hosted.c; booted: not available). */
int sc_raw_flush_bench(unsigned long n, int64_t *ns_per_op);

#endif
