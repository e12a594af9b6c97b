/*
 * Test doubles for the core's variable store (uefivars.h: uv_find,
 * uv_apply, uv_set_internal, the name helpers) and for fdstore_parse,
 * so the auth module is tested alone against a struct uefivars in
 * memory. uv_apply applies all changes or, when fake_fail_apply is set,
 * none (EFI_DEVICE_ERROR), as the real one promises. fdstore_parse's
 * double is in fake_fdstore.c (test_ovmf_defaults links the real one).
 */
#include <stdlib.h>
#include <string.h>

#include "fake_store.h"

bool fake_fail_apply;

bool uv_name_valid(const uint16_t *name, size_t name_size)
{
	size_t i, n = name_size / 2;

	if (name == NULL || name_size < 2 || name_size % 2)
		return false;
	for (i = 0; i + 1 < n; i++)
		if (name[i] == 0)
			return false;
	return name[n - 1] == 0;
}

bool uv_name_is(const uint16_t *name, size_t name_size, const char *ascii)
{
	size_t n = strlen(ascii), i;

	if (name_size != 2 * (n + 1))
		return false;
	for (i = 0; i < n; i++)
		if (name[i] != (uint8_t)ascii[i])
			return false;
	return name[n] == 0;
}

struct uv_var *uv_find(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                       size_t name_size)
{
	struct uv_var *v;

	for (v = uv->vars; v != NULL; v = v->next)
		if (efi_guid_eq(&v->guid, guid) && v->name_size == name_size &&
		    memcmp(v->name, name, name_size) == 0)
			return v;
	return NULL;
}

static void var_free(struct uv_var *v)
{
	free(v->name);
	free(v->data);
	free(v);
}

static void delete (struct uefivars *uv, const struct uv_update *u)
{
	struct uv_var **pp;

	for (pp = &uv->vars; *pp != NULL; pp = &(*pp)->next)
		if (efi_guid_eq(&(*pp)->guid, &u->guid) && (*pp)->name_size == u->name_size &&
		    memcmp((*pp)->name, u->name, u->name_size) == 0) {
			struct uv_var *v = *pp;

			*pp = v->next;
			var_free(v);
			return;
		}
}

static void write_one(struct uefivars *uv, const struct uv_update *u)
{
	struct uv_var *v = uv_find(uv, &u->guid, u->name, u->name_size), **pp;
	uint8_t *data = malloc(u->size ? u->size : 1);

	memcpy(data, u->data, u->size);
	if (v == NULL) {
		v = calloc(1, sizeof(*v));
		v->guid = u->guid;
		v->name = malloc(u->name_size);
		memcpy(v->name, u->name, u->name_size);
		v->name_size = u->name_size;
		v->seq = uv->next_seq++;
		for (pp = &uv->vars; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = v;
	}
	free(v->data);
	v->data = data;
	v->size = u->size;
	v->attrs = u->attrs;
	v->time = u->time;
	v->has_digest = u->has_digest;
	memcpy(v->digest, u->digest, 32);
}

efi_status uv_apply(struct uefivars *uv, const struct uv_update *ups, size_t n)
{
	size_t i;

	if (fake_fail_apply)
		return EFI_DEVICE_ERROR;
	for (i = 0; i < n; i++) {
		if (ups[i].attrs & EFI_VARIABLE_APPEND_WRITE)
			return EFI_INVALID_PARAMETER; /* never stored: a bug in auth if seen */
		if (ups[i].op == UV_DELETE)
			delete (uv, &ups[i]);
		else
			write_one(uv, &ups[i]);
	}
	return EFI_SUCCESS;
}

efi_status uv_set_internal(struct uefivars *uv, const efi_guid *guid, const char *ascii_name,
                           uint32_t attrs, const void *data, size_t size)
{
	uint16_t name[64];
	size_t i, n = strlen(ascii_name);
	struct uv_update u;

	if (n >= 64)
		return EFI_INVALID_PARAMETER;
	for (i = 0; i <= n; i++)
		name[i] = (uint8_t)ascii_name[i];
	memset(&u, 0, sizeof(u));
	u.op = UV_WRITE;
	u.guid = *guid;
	u.name = name;
	u.name_size = 2 * (n + 1);
	u.attrs = attrs;
	u.data = data;
	u.size = size;
	write_one(uv, &u);
	return EFI_SUCCESS;
}

void fake_store_clear(struct uefivars *uv)
{
	while (uv->vars != NULL) {
		struct uv_var *v = uv->vars;

		uv->vars = v->next;
		var_free(v);
	}
}
