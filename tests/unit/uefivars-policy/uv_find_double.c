/*
 * A stand-in for core's uv_find (apps/uefivars/var_store.c): the tests
 * put their variables on uv->vars by hand and the policy code looks them
 * up here, by GUID and exact name.
 */
#include <string.h>

#include "uefivars.h"

struct uv_var *uv_find(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                       size_t name_size)
{
	for (struct uv_var *v = uv->vars; v != NULL; v = v->next)
		if (efi_guid_eq(&v->guid, guid) && v->name_size == name_size &&
		    memcmp(v->name, name, name_size) == 0)
			return v;
	return NULL;
}
