/*
 * The uefivars-auth tests' fixture (auth_fixture.c): a store in memory
 * (fake_store.c), the Secure Boot vectors mkvectors.sh makes at test time
 * in vdir, and the small helpers every case uses.
 */
#ifndef UEFIVARS_AUTH_FIXTURE_H
#define UEFIVARS_AUTH_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "fake_store.h"
#include "uv_int.h"

#define AT_RT                                                                                      \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |                             \
	 EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)
#define AT_APPEND (AT_RT | EFI_VARIABLE_APPEND_WRITE)
#define AT_PRIV                                                                                    \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |                             \
	 EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)

extern char vdir[];
extern const efi_guid *G, *DB;
extern const efi_guid priv_guid;

uint8_t *load(const char *file, size_t *len);
size_t ucs2(const char *ascii, uint16_t *out);
/* One SetVariable through the auth path (and uv_apply), as the core calls it. */
efi_status set(struct uefivars *uv, const efi_guid *g, const char *name, uint32_t attrs,
               const uint8_t *data, size_t len);
efi_status set_file(struct uefivars *uv, const efi_guid *g, const char *name, uint32_t attrs,
                    const char *file);
struct uv_var *get(struct uefivars *uv, const efi_guid *g, const char *name);
int byte_var(struct uefivars *uv, const efi_guid *g, const char *name);
void assert_var_is_file(struct uefivars *uv, const efi_guid *g, const char *name,
                        const char *file);
struct uefivars *fresh(enum uv_phase phase);
void done(struct uefivars *uv);
struct uefivars *enrolled(void);
uint8_t *unsigned_write(const uint8_t *payload, size_t len, size_t *out_len);
/* cmocka group set-up and tear-down: mkvectors.sh into vdir, then its removal. */
int make_vectors(void **state);
int remove_vectors(void **state);

#endif
