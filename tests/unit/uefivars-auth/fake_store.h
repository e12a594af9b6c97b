/* Test doubles for tests/unit/uefivars-auth (fake_store.c). */
#ifndef FAKE_STORE_H
#define FAKE_STORE_H

#include "uefivars.h"
#include "fdstore.h"

extern bool fake_fail_apply;              /* uv_apply refuses everything (EFI_DEVICE_ERROR) */
extern const struct fd_var *fake_fd_vars; /* what fdstore_parse reports */
extern size_t fake_fd_count;
void fake_store_clear(struct uefivars *uv);

#endif
