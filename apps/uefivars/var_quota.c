/*
 * Quota and QueryVariableInfo, as edk2's Variable.c computes them: a
 * variable costs its header plus name and data (each padded to 4 bytes);
 * non-volatile common variables, hardware error records and volatile
 * variables each have their own space.
 */
#include "uv_int.h"

static uint64_t pad4(uint64_t n)
{
	return (n + 3) & ~3ull;
}

uint64_t uv_var_cost(size_t name_size, size_t data_size)
{
	return UV_VAR_HEADER + pad4(name_size) + pad4(data_size);
}

enum space { SPACE_NV, SPACE_HWERR, SPACE_VOLATILE };

static enum space space_of(uint32_t attrs)
{
	if (attrs & EFI_VARIABLE_HARDWARE_ERROR_RECORD)
		return SPACE_HWERR;
	return (attrs & EFI_VARIABLE_NON_VOLATILE) ? SPACE_NV : SPACE_VOLATILE;
}

static uint64_t space_max(const struct uefivars *uv, enum space sp)
{
	return sp == SPACE_NV      ? uv->max_storage
	       : sp == SPACE_HWERR ? UV_HWERR_STORE
	                           : UV_VOLATILE_STORE;
}

static uint64_t space_used(const struct uefivars *uv, enum space sp)
{
	uint64_t used = 0;
	for (const struct uv_var *v = uv->vars; v; v = v->next)
		if (space_of(v->attrs) == sp)
			used += uv_var_cost(v->name_size, v->size);
	return used;
}

efi_status uv_quota_check(const struct uefivars *uv, const struct uv_update *ups, size_t n)
{
	uint64_t used[3] = {space_used(uv, SPACE_NV), space_used(uv, SPACE_HWERR),
	                    space_used(uv, SPACE_VOLATILE)};
	for (size_t i = 0; i < n; i++) {
		const struct uv_var *old = uv_find(uv, &ups[i].guid, ups[i].name, ups[i].name_size);
		if (old)
			used[space_of(old->attrs)] -= uv_var_cost(old->name_size, old->size);
		if (ups[i].op == UV_WRITE)
			used[space_of(ups[i].attrs)] += uv_var_cost(ups[i].name_size, ups[i].size);
	}
	for (int sp = 0; sp < 3; sp++)
		if (used[sp] > space_max(uv, (enum space)sp))
			return EFI_OUT_OF_RESOURCES;
	return EFI_SUCCESS;
}

/* edk2 VariableServiceQueryVariableInfo: the attribute checks, then the figures. */
efi_status uv_query_info(const struct uefivars *uv, uint32_t attrs, struct mm_var_query_info *q)
{
	const uint32_t nv_hr = EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_HARDWARE_ERROR_RECORD;
	const uint32_t bs_rt = EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS;
	if (attrs == 0)
		return EFI_INVALID_PARAMETER;
	if (attrs & EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS)
		return EFI_UNSUPPORTED; /* deprecated: edk2 checks this first */
	if ((attrs & EFI_VARIABLE_ATTRIBUTES_MASK) == 0)
		return EFI_UNSUPPORTED;
	if ((attrs & EFI_VARIABLE_ATTRIBUTES_MASK) == EFI_VARIABLE_NON_VOLATILE)
		return EFI_INVALID_PARAMETER;
	if ((attrs & bs_rt) == EFI_VARIABLE_RUNTIME_ACCESS)
		return EFI_INVALID_PARAMETER;
	if (uv->phase >= UV_PHASE_RUNTIME && !(attrs & EFI_VARIABLE_RUNTIME_ACCESS))
		return EFI_INVALID_PARAMETER;
	if ((attrs & nv_hr) == EFI_VARIABLE_HARDWARE_ERROR_RECORD)
		return EFI_INVALID_PARAMETER;
	enum space sp;
	if ((attrs & nv_hr) == nv_hr) {
		sp = SPACE_HWERR;
		q->max_variable_size = UV_MAX_HWERR_VAR_SIZE - UV_VAR_HEADER;
	} else {
		sp = (attrs & EFI_VARIABLE_NON_VOLATILE) ? SPACE_NV : SPACE_VOLATILE;
		q->max_variable_size = uv->max_variable_size - UV_VAR_HEADER;
	}
	q->max_storage_size = space_max(uv, sp);
	uint64_t used = space_used(uv, sp);
	q->remaining_storage_size = used > q->max_storage_size ? 0 : q->max_storage_size - used;
	if (q->remaining_storage_size < UV_VAR_HEADER)
		q->max_variable_size = 0;
	else if (q->remaining_storage_size - UV_VAR_HEADER < q->max_variable_size)
		q->max_variable_size = q->remaining_storage_size - UV_VAR_HEADER;
	return EFI_SUCCESS;
}

/* VariableSmm.c: mVariableBufferPayloadSize = GetMaxVariableSize () +
 * OFFSET_OF (SMM_VARIABLE_COMMUNICATE_VAR_CHECK_VARIABLE_PROPERTY, Name) - header size. */
uint64_t uv_payload_size(const struct uefivars *uv)
{
	uint64_t max = uv->max_variable_size;
	if (max < UV_MAX_HWERR_VAR_SIZE)
		max = UV_MAX_HWERR_VAR_SIZE;
	return max + UV_VAR_CHECK_PROPERTY_NAME_OFFSET - UV_VAR_HEADER;
}
