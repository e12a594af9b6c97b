/*
 * The changes an accepted authenticated write makes (struct auth_result):
 * the variable itself, and the non-volatile mode variables that change
 * with it (SecureBootEnable on a PK change, VendorKeysNv in custom mode),
 * so uv_apply commits them together or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"

efi_status auth_result_add(struct auth_result *res, const struct uv_update *up)
{
	if (res->n >= AUTH_MAX_UPDATES)
		return EFI_OUT_OF_RESOURCES;
	res->ups[res->n++] = *up;
	return EFI_SUCCESS;
}

efi_status auth_result_mode_var(struct auth_result *res, const efi_guid *guid, const uint16_t *name,
                                size_t name_size, uint32_t attrs, const uint8_t *value)
{
	struct uv_update up;

	memset(&up, 0, sizeof(up));
	up.op = value != NULL ? UV_WRITE : UV_DELETE;
	up.guid = *guid;
	up.name = name;
	up.name_size = name_size;
	up.attrs = attrs;
	up.data = value;
	up.size = value != NULL ? 1 : 0;
	return auth_result_add(res, &up);
}

void auth_result_free(struct auth_result *res)
{
	free(res->scratch);
	memset(res, 0, sizeof(*res));
}
