/*
 * The variables in memory: one list in creation order (GetNextVariableName
 * follows it), and uv_apply, the only way a stored variable changes:
 * decide everything, commit to storaged, then change memory.
 */
#include <stdlib.h>
#include <string.h>

#include "uv_int.h"

struct uv_var *uv_find(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                       size_t name_size)
{
	for (struct uv_var *v = uv->vars; v; v = v->next)
		if (efi_guid_eq(&v->guid, guid) &&
		    uv_name_eq(v->name, v->name_size, name, name_size))
			return v;
	return NULL;
}

/* After ExitBootServices only runtime variables exist for the guest (edk2's FindVariable). */
bool uv_var_visible(const struct uefivars *uv, const struct uv_var *v)
{
	return uv->phase < UV_PHASE_RUNTIME || (v->attrs & EFI_VARIABLE_RUNTIME_ACCESS);
}

struct uv_var *uv_find_visible(const struct uefivars *uv, const efi_guid *guid,
                               const uint16_t *name, size_t name_size)
{
	struct uv_var *v = uv_find(uv, guid, name, name_size);
	return v && uv_var_visible(uv, v) ? v : NULL;
}

void uv_var_free(struct uv_var *v)
{
	if (!v)
		return;
	free(v->name);
	if (v->data)
		explicit_bzero(v->data, v->size);
	free(v->data);
	free(v);
}

void uv_var_link(struct uefivars *uv, struct uv_var *v)
{
	struct uv_var **pp = &uv->vars;
	while (*pp)
		pp = &(*pp)->next;
	v->next = NULL;
	*pp = v;
}

struct uv_var *uv_var_from_update(const struct uv_update *u, uint64_t seq)
{
	struct uv_var *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->guid = u->guid;
	v->name = uv_name_copy(u->name, u->name_size);
	v->name_size = u->name_size;
	v->attrs = u->attrs & ~EFI_VARIABLE_APPEND_WRITE;
	v->size = u->size;
	v->time = u->time;
	v->has_digest = u->has_digest;
	memcpy(v->digest, u->digest, sizeof(v->digest));
	v->seq = seq;
	if (u->size) {
		v->data = malloc(u->size);
		if (v->data)
			memcpy(v->data, u->data, u->size);
	}
	if (!v->name || (u->size && !v->data)) {
		uv_var_free(v);
		return NULL;
	}
	return v;
}

void uv_recount(struct uefivars *uv)
{
	uv->nv_used = uv->volatile_used = 0;
	for (struct uv_var *v = uv->vars; v; v = v->next) {
		if (v->attrs & EFI_VARIABLE_HARDWARE_ERROR_RECORD)
			continue; /* its own space (var_quota.c) */
		if (v->attrs & EFI_VARIABLE_NON_VOLATILE)
			uv->nv_used += uv_var_cost(v->name_size, v->size);
		else
			uv->volatile_used += uv_var_cost(v->name_size, v->size);
	}
}

bool uv_has_nv(const struct uefivars *uv)
{
	for (struct uv_var *v = uv->vars; v; v = v->next)
		if (v->attrs & EFI_VARIABLE_NON_VOLATILE)
			return true;
	return false;
}

/* Put fresh in old's place (keeping its position in the creation order), or at the end. */
static void replace(struct uefivars *uv, struct uv_var *fresh)
{
	for (struct uv_var **pp = &uv->vars; *pp; pp = &(*pp)->next) {
		struct uv_var *old = *pp;
		if (efi_guid_eq(&old->guid, &fresh->guid) &&
		    uv_name_eq(old->name, old->name_size, fresh->name, fresh->name_size)) {
			fresh->next = old->next;
			*pp = fresh;
			uv_var_free(old);
			return;
		}
	}
	uv_var_link(uv, fresh);
}

static void unlink_var(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                       size_t name_size)
{
	for (struct uv_var **pp = &uv->vars; *pp; pp = &(*pp)->next) {
		struct uv_var *v = *pp;
		if (efi_guid_eq(&v->guid, guid) &&
		    uv_name_eq(v->name, v->name_size, name, name_size)) {
			*pp = v->next;
			uv_var_free(v);
			return;
		}
	}
}

efi_status uv_apply(struct uefivars *uv, const struct uv_update *ups, size_t n)
{
	if (n == 0)
		return EFI_SUCCESS;
	efi_status s = uv_quota_check(uv, ups, n);
	if (s != EFI_SUCCESS)
		return s;
	struct uv_var **fresh = calloc(n, sizeof(*fresh));
	if (!fresh)
		return EFI_OUT_OF_RESOURCES;
	uint64_t seq = uv->next_seq;
	for (size_t i = 0; i < n && s == EFI_SUCCESS; i++) {
		if (ups[i].op != UV_WRITE)
			continue;
		/* A rewrite keeps its place in the creation order. */
		struct uv_var *old = uv_find(uv, &ups[i].guid, ups[i].name, ups[i].name_size);
		fresh[i] = uv_var_from_update(&ups[i], old ? old->seq : seq++);
		if (!fresh[i])
			s = EFI_OUT_OF_RESOURCES;
	}
	if (s == EFI_SUCCESS && uv->store != KEEL_HANDLE_NONE)
		s = persist_changes(uv, ups, fresh, n);
	if (s != EFI_SUCCESS) {
		for (size_t i = 0; i < n; i++)
			uv_var_free(fresh[i]);
		free(fresh);
		return s;
	}
	for (size_t i = 0; i < n; i++) {
		if (ups[i].op == UV_WRITE)
			replace(uv, fresh[i]);
		else
			unlink_var(uv, &ups[i].guid, ups[i].name, ups[i].name_size);
	}
	free(fresh);
	uv->next_seq = seq;
	uv_recount(uv);
	secureboot_refresh(uv);
	return EFI_SUCCESS;
}

efi_status uv_set_internal(struct uefivars *uv, const efi_guid *guid, const char *ascii_name,
                           uint32_t attrs, const void *data, size_t size)
{
	struct uv_update u = {.op = UV_WRITE,
	                      .guid = *guid,
	                      .attrs = attrs & ~EFI_VARIABLE_NON_VOLATILE,
	                      .data = data,
	                      .size = size};
	uint16_t *name = uv_name_from_ascii(ascii_name, &u.name_size);
	if (!name)
		return EFI_OUT_OF_RESOURCES;
	u.name = name;
	/* Memory only, and not through uv_apply: secureboot_refresh calls this from uv_apply. */
	if (size == 0) {
		unlink_var(uv, guid, name, u.name_size);
	} else {
		struct uv_var *old = uv_find(uv, guid, name, u.name_size);
		struct uv_var *v = uv_var_from_update(&u, old ? old->seq : uv->next_seq);
		if (!v) {
			free(name);
			return EFI_OUT_OF_RESOURCES;
		}
		if (!old)
			uv->next_seq++;
		replace(uv, v);
	}
	free(name);
	uv_recount(uv);
	return EFI_SUCCESS;
}
