/*
 * PKDefault, KEKDefault, dbDefault, dbxDefault, dbtDefault, dbrDefault
 * (UEFI 2.10 §3.3: the platform's default keys, volatile, read-only):
 * taken from the default store the manifest names (raw edk2 varstore,
 * fdstore.h): its PK, KEK, db, dbx, dbt and dbr, or *Default variables it
 * carries itself (those win, being explicit). Nothing when there is no
 * default store. A store that does not parse is reported by uv_init,
 * which reads the same bytes; here it just yields no defaults.
 */
#include <string.h>

#include "auth.h"
#include "fdstore.h"

#define RO_ATTRS (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static const struct {
	const efi_guid *guid;
	const char *name, *default_name;
} keys[] = {
    {&efi_global_variable_guid, "PK", "PKDefault"},
    {&efi_global_variable_guid, "KEK", "KEKDefault"},
    {&efi_image_security_database_guid, "db", "dbDefault"},
    {&efi_image_security_database_guid, "dbx", "dbxDefault"},
    {&efi_image_security_database_guid, "dbt", "dbtDefault"},
    {&efi_image_security_database_guid, "dbr", "dbrDefault"},
};

struct pass {
	struct uefivars *uv;
	bool explicit_defaults; /* second pass: the store's own *Default variables */
};

static int on_var(void *arg, const struct fd_var *v)
{
	struct pass *p = arg;
	uint16_t name[16]; /* the longest name looked for, "dbrDefault", fits */
	size_t i;

	if (v->name_size > sizeof(name) || v->name_size < 2 || v->name_size % 2)
		return 0;
	memcpy(name, v->name, v->name_size); /* the store's names are unaligned */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *want = p->explicit_defaults ? keys[i].default_name : keys[i].name;
		const efi_guid *g = p->explicit_defaults ? &efi_global_variable_guid : keys[i].guid;

		if (efi_guid_eq(&v->guid, g) && uv_name_is(name, v->name_size, want))
			(void)uv_set_internal(p->uv, &efi_global_variable_guid,
			                      keys[i].default_name, RO_ATTRS, v->data, v->size);
	}
	return 0;
}

void secureboot_load_defaults(struct uefivars *uv)
{
	struct pass p = {.uv = uv, .explicit_defaults = false};
	char err[160];

	if (uv->default_store == NULL || uv->default_store_size == 0)
		return;
	if (fdstore_parse(uv->default_store, uv->default_store_size, on_var, &p, err,
	                  sizeof(err)) != 0)
		return;
	p.explicit_defaults = true;
	(void)fdstore_parse(uv->default_store, uv->default_store_size, on_var, &p, err,
	                    sizeof(err));
}
