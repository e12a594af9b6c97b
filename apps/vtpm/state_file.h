/*
 * Hosted state backend details (state_file.c): where the files are and
 * their format. docs/vtpm.md describes the format.
 */
#ifndef VTPM_STATE_FILE_H
#define VTPM_STATE_FILE_H

#include <stddef.h>

#define VTPM_STATE_MAGIC "KEELVTPM"
#define VTPM_STATE_VERSION 1u
#define VTPM_STATE_HEADER 56u     /* magic 8, version 4, reserved 4, length 8, sha256 32 */
#define VTPM_STATE_MAX (64u << 20) /* refuse absurd files before reading them */

/* $KEEL_STATE_DIR, or "./keel-state"; created (0700) if missing. NULL on error. */
const char *vtpm_state_dir(void);
/* Writes path = dir/file into out[cap]; -1 if it does not fit. */
int vtpm_state_path(char *out, size_t cap, const char *file);
/* Atomically replaces dir/file with data (temp, fsync, rename, fsync dir). */
int vtpm_state_write_file(const char *file, const void *data, size_t len, int mode);

#endif
