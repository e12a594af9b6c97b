/* Fixed-width types shared by kernel, ring-3 tasks and the hosted shim. */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t keel_handle_t;

#define KEEL_HANDLE_INVALID 0xffffffffu

/*
 * A handle is (generation << 16) | slot. Handles handed out by the boot
 * manifest have generation 0, so their value is the slot number the
 * manifest names. Closing a slot bumps its generation, so a stale handle
 * value never names a later object (KEEL_EBADHANDLE instead).
 */
#define KEEL_HANDLE_SLOT(h) ((h) & 0xffffu)
#define KEEL_HANDLE_GEN(h) ((h) >> 16)
#define KEEL_HANDLE_MAKE(slot, gen) ((((uint32_t)(gen)) << 16) | ((uint32_t)(slot) & 0xffffu))

/* Handle slots per task. */
#define KEEL_MAX_HANDLES 64

#endif
