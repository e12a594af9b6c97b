/* GetNextVariableName's walk: creation order, only what the phase lets the guest see. */
#include "uv_int.h"

static const struct uv_var *first_visible(const struct uefivars *uv, const struct uv_var *v)
{
	while (v && !uv_var_visible(uv, v))
		v = v->next;
	return v;
}

efi_status uv_next_visible(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                           size_t name_size, const struct uv_var **next)
{
	const struct uv_var *v;
	if (name_size <= 2) {
		v = first_visible(
		    uv, uv->vars); /* an empty name starts the walk (its GUID is ignored) */
	} else {
		const struct uv_var *cur = uv_find_visible(uv, guid, name, name_size);
		/* Not a variable the guest can see: edk2 says INVALID_PARAMETER. */
		if (!cur)
			return EFI_INVALID_PARAMETER;
		v = first_visible(uv, cur->next);
	}
	if (!v)
		return EFI_NOT_FOUND;
	*next = v;
	return EFI_SUCCESS;
}
