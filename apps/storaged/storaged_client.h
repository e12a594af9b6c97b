/*
 * A client's side of storaged (storaged_protocol.h), for tasks that keep
 * state in it (vtpm, uefivars). Synchronous: each call is one or more
 * channel calls on `h`, the client's storaged channel. Names are relative
 * to the channel's namespace. Returns enum storaged_status (or a negative
 * KEEL_E* from the channel, mapped to STORAGED_EIO).
 */
#ifndef STORAGED_CLIENT_H
#define STORAGED_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <keel/types.h>

#include "storaged_protocol.h"

/* STORAGED_OK with *data malloc'd (caller frees; NULL when len is 0), or STORAGED_ABSENT. */
int storaged_get(keel_handle_t h, const char *name, uint8_t **data, size_t *len);
/* Stage a whole object (chunked over as many calls as it takes). */
int storaged_put(keel_handle_t h, const char *name, const void *data, size_t len);
/* Stage a delete. */
int storaged_delete(keel_handle_t h, const char *name);
/* Commit everything staged on `h` atomically; *generation (may be NULL) gets the new generation. */
int storaged_commit(keel_handle_t h, uint64_t *generation);
/* Drop everything staged on `h`. */
int storaged_abort(keel_handle_t h);
/* Calls fn for every object of the namespace in name order; stops early when fn returns non-zero. */
int storaged_list(keel_handle_t h, int (*fn)(void *arg, const char *name, uint64_t size), void *arg);
/* A short English name of a status ("integrity failure", ...). */
const char *storaged_strerror(int status);

#endif
