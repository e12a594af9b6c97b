/*
 * The boot bundle from a manifest file: the manifest is checked with
 * manifest_parse (so a bad manifest fails the build, not the boot), then
 * packed with bundle_pack together with every binary and data file it
 * names (binary=, data=), read from BIN_DIR/<name>; a data file must hold
 * 1..MANIFEST_DATA_MAX bytes.
 */
#ifndef KEEL_BUNDLE_FILES_H
#define KEEL_BUNDLE_FILES_H

#include <stddef.h>
#include <stdint.h>

/* 0 and a malloc'd bundle, or -1 with a message in `err`. */
int bundle_from_manifest(const char *manifest_path, const char *bin_dir, uint8_t **bundle,
			 size_t *len, char *err, size_t err_len);

#endif
