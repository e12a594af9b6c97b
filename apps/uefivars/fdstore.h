/*
 * Raw edk2 variable store files (OVMF_VARS*.fd): the firmware volume
 * (EFI_FIRMWARE_VOLUME_HEADER, gEfiSystemNvDataFvGuid), the variable store
 * header (gEfiAuthenticatedVariableGuid or gEfiVariableGuid, formatted,
 * healthy), then the variables. Parsed by the service (the manifest's
 * default store) and by keel-varctl import; every length is checked
 * against the file, and a bad file gets a message naming what is wrong.
 */
#ifndef UEFIVARS_FDSTORE_H
#define UEFIVARS_FDSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "efi.h"

/* One live variable (State VAR_ADDED, or VAR_ADDED & VAR_IN_DELETED_TRANSITION when no newer copy exists, as edk2 reads it). */
struct fd_var {
	efi_guid guid;
	const uint16_t *name; /* points into the file: unaligned, read with memcpy */
	size_t name_size;     /* bytes incl. the NUL */
	uint32_t attrs;
	const uint8_t *data;
	size_t size;
	struct efi_time time; /* authenticated store: TimeStamp */
	bool has_digest;      /* private authenticated variable: its certdb entry */
	uint8_t digest[32];
};

/*
 * Calls fn for each live variable in store order (edk2's internal certdb
 * and certdbv variables are not passed on: their entries become
 * has_digest/digest). Returns 0, the first non-zero value of fn, or -1
 * with a message in err ("not a firmware volume", "variable 7 at 0x1a4:
 * name runs past the store", ...).
 */
int fdstore_parse(const uint8_t *img, size_t len, int (*fn)(void *arg, const struct fd_var *v),
                  void *arg, char *err, size_t errlen);

#endif
