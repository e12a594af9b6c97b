/*
 * edk2 variable policy (VariablePolicyLib semantics) and LockVariable,
 * which edk2 implements as a LOCK_NOW policy. Policies live for one boot
 * (the firmware registers them at every boot); nothing is persisted.
 */
#ifndef UEFIVARS_POLICY_H
#define UEFIVARS_POLICY_H

#include "uefivars.h"

struct uv_policy *policy_new(void);
void policy_free(struct uv_policy *p);

/*
 * May this SetVariable (size 0 = delete) go ahead? EFI_SUCCESS, or the
 * status edk2's ValidateSetVariable gives (EFI_WRITE_PROTECTED for a
 * locked variable, EFI_INVALID_PARAMETER for a size or attribute outside
 * the policy). Checked before any other rule that could store.
 */
efi_status policy_check_set(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                            size_t name_size, uint32_t attrs, size_t size);

/* SMM LOCK_VARIABLE: a LOCK_NOW policy; EFI_ACCESS_DENIED from EndOfDxe on. */
efi_status policy_lock_variable(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                                size_t name_size);

/*
 * The message of mm_var_policy_guid: `msg` holds `len` bytes (the MM
 * header's MessageLength, already checked against the buffer), at most
 * `cap` may be written back. Writes the result into the policy header;
 * *out_len = the message bytes to return. Never reads or writes outside.
 */
void policy_mm_handle(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len);

#endif
