/*
 * Who may write an authenticated variable, as edk2's AuthVariableLib
 * decides it (AuthVariableLibProcessVariable → ProcessVarWithPk,
 * ProcessVarWithKek, ProcessVariable; UEFI 2.10 §32.3):
 *
 *   PK        setup mode: signed by the new PK's own certificate;
 *             user mode: by the current PK. Enrolling → user mode,
 *             deleting → setup mode.
 *   KEK       signed by PK; setup mode: format check only.
 *   db/dbx/   signed by PK or by a KEK entry; setup mode: format only.
 *   dbt/dbr
 *   custom mode (with physical presence): PK, KEK, db... format only,
 *             and VendorKeys records the out-of-band change.
 *   others    time-based: pinned to their first signer (auth_private.c).
 */
#include <string.h>

#include "auth_ctx.h"

static const uint8_t one = 1, zero = 0;

static bool in_custom_mode(const struct uefivars *uv)
{
	struct uv_var *v = SB_FIND(uv, &efi_custom_mode_enable_guid, sb_name_custom_mode);

	return v != NULL && v->size >= 1 && v->data[0] == SB_CUSTOM_MODE_ON;
}

static bool in_setup_mode(const struct uefivars *uv)
{
	return SB_FIND(uv, &efi_global_variable_guid, sb_name_pk) == NULL;
}

/* VendorKeyIsModified: the keys are no longer the vendor's once changed without a signature. */
static efi_status vendor_keys_modified(struct auth_ctx *c)
{
	struct uv_var *v = SB_FIND(c->uv, &efi_vendor_keys_nv_guid, sb_name_vendor_keys_nv);

	if (v != NULL && v->size == 1 && v->data[0] == SB_VENDOR_KEYS_MODIFIED)
		return EFI_SUCCESS;
	return auth_result_mode_var(c->res, &efi_vendor_keys_nv_guid, sb_name_vendor_keys_nv,
	                            sizeof(sb_name_vendor_keys_nv),
	                            EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
	                                EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS,
	                            &zero);
}

/* UpdatePlatformMode's non-volatile part: SecureBootEnable exists exactly in user mode. */
static efi_status platform_mode_changed(struct auth_ctx *c, bool user_mode)
{
	struct uv_var *sbe =
	    SB_FIND(c->uv, &efi_secure_boot_enable_disable_guid, sb_name_secure_boot_enable);
	const uint32_t attrs = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS;

	if (user_mode && (sbe == NULL || sbe->size != 1 || sbe->data[0] != SB_ENABLE))
		return auth_result_mode_var(c->res, &efi_secure_boot_enable_disable_guid,
		                            sb_name_secure_boot_enable,
		                            sizeof(sb_name_secure_boot_enable), attrs, &one);
	if (!user_mode && sbe != NULL)
		return auth_result_mode_var(c->res, &efi_secure_boot_enable_disable_guid,
		                            sb_name_secure_boot_enable,
		                            sizeof(sb_name_secure_boot_enable), attrs, NULL);
	return EFI_SUCCESS;
}

/* Setup or custom mode: the payload is taken as it is, after the format check. */
static efi_status format_only(struct auth_ctx *c)
{
	efi_status st = siglist_check_format(&c->req->guid, c->req->name, c->req->name_size,
	                                     c->a.payload, c->a.payload_len);

	return st != EFI_SUCCESS ? st : auth_update(c);
}

static efi_status process_with_pk(struct auth_ctx *c, bool is_pk)
{
	bool setup = in_setup_mode(c->uv);
	efi_status st;

	if (!(c->req->attrs & EFI_VARIABLE_NON_VOLATILE) ||
	    !(c->req->attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS))
		return EFI_INVALID_PARAMETER;
	if ((in_custom_mode(c->uv) && sb_physical_presence(c->uv)) || (setup && !is_pk)) {
		st = format_only(c);
		if (st == EFI_SUCCESS && (!setup || is_pk))
			st = vendor_keys_modified(c);
	} else {
		st = auth_verify(c, setup ? ANCHOR_PAYLOAD : ANCHOR_PK);
		if (st == EFI_SUCCESS)
			st = auth_update(c);
	}
	if (st == EFI_SUCCESS && is_pk) {
		if (setup && !c->del)
			st = platform_mode_changed(c, true);
		else if (!setup && c->del)
			st = platform_mode_changed(c, false);
	}
	return st;
}

static efi_status process_with_kek(struct auth_ctx *c)
{
	bool setup = in_setup_mode(c->uv);
	efi_status st;

	if (!(c->req->attrs & EFI_VARIABLE_NON_VOLATILE) ||
	    !(c->req->attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS))
		return EFI_INVALID_PARAMETER;
	if (!setup && !(in_custom_mode(c->uv) && sb_physical_presence(c->uv))) {
		st = auth_verify(c, ANCHOR_KEK);
		return st != EFI_SUCCESS ? st : auth_update(c);
	}
	st = format_only(c);
	if (st == EFI_SUCCESS && !setup)
		st = vendor_keys_modified(c);
	return st;
}

/* CustomMode and SecureBootEnable: one byte, 0 or 1, NV+BS (edk2's VarCheck properties). */
static efi_status process_mode_switch(struct auth_ctx *c)
{
	struct uv_update up;

	memset(&up, 0, sizeof(up));
	up.guid = c->req->guid;
	up.name = c->req->name;
	up.name_size = c->req->name_size;
	if (c->req->size == 0 || c->req->attrs == 0) {
		if (c->old == NULL)
			return EFI_NOT_FOUND;
		up.op = UV_DELETE;
		return auth_result_add(c->res, &up);
	}
	if (c->req->attrs != (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS) ||
	    c->req->size != 1 || c->req->data[0] > 1)
		return EFI_INVALID_PARAMETER;
	up.op = UV_WRITE;
	up.attrs = c->req->attrs;
	up.data = c->req->data;
	up.size = 1;
	return auth_result_add(c->res, &up);
}

/* ProcessVariable: everything that is not PK, KEK or an image database. */
static efi_status process_variable(struct auth_ctx *c, enum sb_var kind)
{
	uint32_t attrs = c->req->attrs;
	bool time_based = (attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS) != 0;
	bool pp = sb_physical_presence(c->uv);

	/* A physically present user may delete any authenticated variable unsigned. */
	if (c->old != NULL && pp && time_based && attrs == c->old->attrs && c->a.payload_len == 0)
		return auth_update(c);
	if ((kind == SB_SECURE_BOOT_ENABLE || kind == SB_CUSTOM_MODE) && !pp)
		return EFI_SECURITY_VIOLATION;
	if (time_based) {
		efi_status st = auth_verify(c, ANCHOR_PRIV);

		return st != EFI_SUCCESS ? st : auth_update(c);
	}
	if (c->old != NULL &&
	    (c->old->attrs & (EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS |
	                      EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)))
		return EFI_WRITE_PROTECTED;
	if (kind == SB_SECURE_BOOT_ENABLE || kind == SB_CUSTOM_MODE)
		return process_mode_switch(c);
	return EFI_UNSUPPORTED; /* not an authenticated write: auth_applies said no */
}

bool auth_applies(const struct uefivars *uv, const struct uv_set_req *req)
{
	struct uv_var *old;

	if (req->attrs & (EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS |
	                  EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS))
		return true;
	if (!uv_name_valid(req->name, req->name_size))
		return false;
	if (sb_classify(&req->guid, req->name, req->name_size) != SB_NONE)
		return true;
	old = uv_find(uv, &req->guid, req->name, req->name_size);
	return old != NULL && (old->attrs & (EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS |
	                                     EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS));
}

efi_status auth_set_variable(struct uefivars *uv, const struct uv_set_req *req,
                             struct auth_result *res)
{
	struct auth_ctx c;
	enum sb_var kind;
	efi_status st;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	if (!uv_name_valid(req->name, req->name_size) || (req->size && req->data == NULL))
		return EFI_INVALID_PARAMETER;
	if (req->attrs & EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS)
		return EFI_UNSUPPORTED; /* counter-based: deprecated, refused as edk2 */
	c.uv = uv;
	c.req = req;
	c.res = res;
	c.old = uv_find(uv, &req->guid, req->name, req->name_size);
	/* SetVariable's rule: an existing variable keeps its attributes (APPEND_WRITE aside). */
	if (c.old != NULL && req->attrs != 0 &&
	    (req->attrs & ~EFI_VARIABLE_APPEND_WRITE) != c.old->attrs)
		return EFI_INVALID_PARAMETER;
	if (req->attrs & EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS) {
		st = auth2_split(req->data, req->size, &c.a);
		if (st != EFI_SUCCESS)
			return st;
	}
	kind = sb_classify(&req->guid, req->name, req->name_size);
	if (kind == SB_PK || kind == SB_KEK) {
		st = process_with_pk(&c, kind == SB_PK);
	} else if (kind == SB_DB) {
		st = process_with_pk(&c, false);
		if (st != EFI_SUCCESS) {
			auth_result_free(res);
			c.del = false;
			st = process_with_kek(&c);
		}
	} else {
		st = process_variable(&c, kind);
	}
	if (st != EFI_SUCCESS)
		auth_result_free(res);
	return st;
}
