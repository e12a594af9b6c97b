/*
 * SetVariable, in the order edk2 decides it (Variable.c:
 * VariableServiceSetVariable, then UpdateVariable; AuthVariableLib for
 * authenticated writes): attribute bits, sizes, read-only and policy
 * checks, the existing variable's attributes and the boot phase, then
 * create, replace, append or delete through uv_apply.
 */
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "uv_int.h"

#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS
#define NV EFI_VARIABLE_NON_VOLATILE
#define HR EFI_VARIABLE_HARDWARE_ERROR_RECORD
#define AW EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS
#define TB EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS
#define APPEND EFI_VARIABLE_APPEND_WRITE

/* The attribute bits alone (VariableServiceSetVariable's first checks). */
static efi_status check_attrs(uint32_t a)
{
	if (a & ~UV_SET_ATTR_MASK)
		return EFI_INVALID_PARAMETER;
	if ((a & (RT | BS)) == RT)
		return (a & AW) ? EFI_UNSUPPORTED : EFI_INVALID_PARAMETER;
	if (a == NV) /* only NON_VOLATILE */
		return EFI_INVALID_PARAMETER;
	if ((a & AW) && (a & TB))
		return EFI_UNSUPPORTED;
	/* The deprecated count-based authentication is not supported (edk2: only a
	 * physical-presence delete of such a variable, which a VM has no way to assert). */
	if (a & AW)
		return EFI_UNSUPPORTED;
	return EFI_SUCCESS;
}

/* The payload after an EFI_VARIABLE_AUTHENTICATION_2 descriptor; edk2's sanity check. */
static efi_status auth2_payload(const struct uv_set_req *r, size_t *payload)
{
	uint32_t dw;
	if (r->size < UV_AUTH2_CERT_OFFSET)
		return EFI_SECURITY_VIOLATION;
	memcpy(&dw, r->data + sizeof(struct efi_time), sizeof(dw));
	if (dw > r->size - sizeof(struct efi_time) ||
	    dw < UV_AUTH2_CERT_OFFSET - sizeof(struct efi_time))
		return EFI_SECURITY_VIOLATION;
	*payload = r->size - sizeof(struct efi_time) - dw;
	return EFI_SUCCESS;
}

/* "HwErrRec" + 4 hex digits under the hardware error GUID (UEFI 2.10 §8.2.4.2, VarCheckUefiLib). */
static bool hwerr_name_ok(const struct uv_set_req *r)
{
	static const char prefix[] = "HwErrRec";
	if (!efi_guid_eq(&r->guid, &efi_hardware_error_variable_guid) || r->name_size != 13 * 2)
		return false;
	for (int i = 0; i < 8; i++)
		if (r->name[i] != (uint16_t)prefix[i])
			return false;
	for (int i = 8; i < 12; i++) {
		uint16_t c = r->name[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* UpdateVariable for a variable that exists. */
static efi_status update_existing(struct uefivars *uv, const struct uv_set_req *r,
                                  struct uv_var *old)
{
	uint32_t a = r->attrs;
	/* At runtime volatile variables are read-only; others need NV and RT. */
	if (uv->phase >= UV_PHASE_RUNTIME) {
		if (!(old->attrs & NV))
			return EFI_WRITE_PROTECTED;
		if (!(old->attrs & RT))
			return EFI_INVALID_PARAMETER;
	}
	struct uv_update u = {.op = UV_DELETE,
	                      .guid = r->guid,
	                      .name = r->name,
	                      .name_size = r->name_size,
	                      .attrs = old->attrs,
	                      .time = old->time,
	                      .has_digest = old->has_digest};
	memcpy(u.digest, old->digest, sizeof(u.digest));
	if ((!(a & APPEND) && r->size == 0) || (a & (RT | BS)) == 0)
		return uv_apply(uv, &u, 1);
	if (!(a & APPEND) && r->size == old->size && memcmp(r->data, old->data, r->size) == 0)
		return EFI_SUCCESS; /* the same data again: nothing to write */
	u.op = UV_WRITE;
	if (!(a & APPEND)) {
		u.data = r->data;
		u.size = r->size;
		return uv_apply(uv, &u, 1);
	}
	uint64_t max = (old->attrs & HR) ? UV_MAX_HWERR_VAR_SIZE : uv->max_variable_size;
	uint64_t offset = UV_VAR_HEADER + ((r->name_size + 3) & ~(size_t)3);
	/* The appended variable may not exceed the size limit (edk2's MaxDataSize). */
	if (old->size + r->size > max - offset)
		return EFI_INVALID_PARAMETER;
	uint8_t *merged = malloc(old->size + r->size ? old->size + r->size : 1);
	if (!merged)
		return EFI_OUT_OF_RESOURCES;
	if (old->size)
		memcpy(merged, old->data, old->size);
	memcpy(merged + old->size, r->data, r->size);
	u.data = merged;
	u.size = old->size + r->size;
	efi_status s = uv_apply(uv, &u, 1);
	explicit_bzero(merged, u.size);
	free(merged);
	return s;
}

/* UpdateVariable for a variable that does not exist. */
static efi_status create(struct uefivars *uv, const struct uv_set_req *r)
{
	uint32_t a = r->attrs;
	if (r->size == 0 && (a & APPEND))
		return EFI_SUCCESS;
	if (r->size == 0 || (a & (RT | BS)) == 0)
		return EFI_NOT_FOUND; /* deleting a variable that is not there */
	if (uv->phase >= UV_PHASE_RUNTIME && (a & (RT | NV)) != (RT | NV))
		return EFI_INVALID_PARAMETER;
	struct uv_update u = {.op = UV_WRITE,
	                      .guid = r->guid,
	                      .name = r->name,
	                      .name_size = r->name_size,
	                      .attrs = a & ~APPEND,
	                      .data = r->data,
	                      .size = r->size};
	return uv_apply(uv, &u, 1);
}

static efi_status set_authenticated(struct uefivars *uv, const struct uv_set_req *r)
{
	struct auth_result res;
	memset(&res, 0, sizeof(res));
	efi_status s = auth_set_variable(uv, r, &res);
	if (s == EFI_SUCCESS)
		s = uv_apply(uv, res.ups, res.n < AUTH_MAX_UPDATES ? res.n : AUTH_MAX_UPDATES);
	auth_result_free(&res);
	return s;
}

efi_status uv_set_variable(struct uefivars *uv, const struct uv_set_req *r)
{
	uint32_t a = r->attrs;
	if (r->name_size <= 2)
		return EFI_INVALID_PARAMETER; /* empty name */
	efi_status s = check_attrs(a);
	if (s != EFI_SUCCESS)
		return s;
	size_t payload = r->size;
	if ((a & TB) && (s = auth2_payload(r, &payload)) != EFI_SUCCESS)
		return s;
	if (a & HR) {
		if (r->name_size + payload > UV_MAX_HWERR_VAR_SIZE - UV_VAR_HEADER)
			return EFI_INVALID_PARAMETER;
		if ((a & NV) == 0 || !hwerr_name_ok(r))
			return EFI_INVALID_PARAMETER;
	} else if (r->name_size + payload > uv->max_variable_size - UV_VAR_HEADER) {
		return EFI_INVALID_PARAMETER;
	}
	/* VarCheckLibSetVariableCheck: read-only variables, then variable policy. */
	if (secureboot_read_only(&r->guid, r->name, r->name_size))
		return EFI_WRITE_PROTECTED;
	s = policy_check_set(uv, &r->guid, r->name, r->name_size, a, payload);
	if (s != EFI_SUCCESS)
		return s;
	struct uv_var *old = uv_find(uv, &r->guid, r->name, r->name_size);
	if (old) {
		if (uv->phase >= UV_PHASE_RUNTIME && !(old->attrs & RT))
			return EFI_WRITE_PROTECTED;
		if (a != 0 && (a & ~APPEND) != old->attrs)
			return EFI_INVALID_PARAMETER; /* rewritten with different attributes */
	}
	if (auth_applies(uv, r))
		return set_authenticated(uv, r);
	return old ? update_existing(uv, r, old) : create(uv, r);
}
