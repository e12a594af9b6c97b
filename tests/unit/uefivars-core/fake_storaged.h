/* An in-memory storaged behind apps/storaged/storaged_client.h, for the uefivars unit tests. */
#ifndef FAKE_STORAGED_H
#define FAKE_STORAGED_H

#include <stddef.h>
#include <stdint.h>

void fake_storaged_reset(void);
/* The committed object `name` (NULL when absent). */
const uint8_t *fake_storaged_object(const char *name, size_t *len);
/* Replace a committed object directly (to corrupt it). */
void fake_storaged_poke(const char *name, const void *data, size_t len);
size_t fake_storaged_count(void);
extern int fake_storaged_fail_commit; /* non-zero: the next commits fail with STORAGED_EIO */
extern unsigned fake_storaged_commits;

#endif
