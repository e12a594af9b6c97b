/*
 * The message of mm_variable_guid: {u64 function; u64 status} and the
 * function's structure (mm_wire.h), decoded as edk2's SmmVariableHandler
 * does: every size checked against the message before anything is read
 * (EFI_ACCESS_DENIED when a size runs past it, as edk2), the name checked
 * (read_name), then the call; the reply is written in place.
 */
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "uv_int.h"

#define ACCESS_OFF sizeof(struct mm_var_access)  /* 36: the name */
#define NEXT_OFF sizeof(struct mm_var_next_name) /* 24: the name */

/*
 * The name of an access/lock structure (bounds already checked): an
 * aligned copy. edk2's handler checks only that the last character is a
 * NUL (EFI_ACCESS_DENIED otherwise, kept here); an odd size or a NUL
 * before the end, which edk2 would read as a shorter name, is refused
 * with EFI_INVALID_PARAMETER.
 */
static efi_status read_name(const uint8_t *src, size_t name_size, uint16_t **out)
{
	uint16_t last;
	if (name_size < 2)
		return EFI_ACCESS_DENIED;
	if (name_size % 2)
		return EFI_INVALID_PARAMETER;
	memcpy(&last, src + name_size - 2, sizeof(last));
	if (last != 0)
		return EFI_ACCESS_DENIED;
	uint16_t *n = uv_name_copy(src, name_size);
	if (!n)
		return EFI_OUT_OF_RESOURCES;
	if (!uv_name_valid(n, name_size)) {
		free(n);
		return EFI_INVALID_PARAMETER;
	}
	*out = n;
	return EFI_SUCCESS;
}

/* An access structure whose name and data lie inside the payload. */
static efi_status read_access(const uint8_t *p, size_t plen, struct mm_var_access *a,
                              uint16_t **name)
{
	if (plen < ACCESS_OFF)
		return EFI_ACCESS_DENIED;
	memcpy(a, p, ACCESS_OFF);
	if (a->name_size > plen - ACCESS_OFF || a->data_size > plen - ACCESS_OFF - a->name_size)
		return EFI_ACCESS_DENIED;
	return read_name(p + ACCESS_OFF, a->name_size, name);
}

static efi_status fn_get(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_access a;
	uint16_t *name;
	efi_status s = read_access(p, plen, &a, &name);
	if (s != EFI_SUCCESS)
		return s;
	const struct uv_var *v =
	    a.name_size > 2 ? uv_find_visible(uv, &a.guid, name, a.name_size) : NULL;
	free(name);
	if (!v)
		return EFI_NOT_FOUND;
	s = EFI_BUFFER_TOO_SMALL;
	if (a.data_size >= v->size) {
		if (v->size)
			memcpy(p + ACCESS_OFF + a.name_size, v->data, v->size);
		s = EFI_SUCCESS;
	}
	a.data_size = v->size;
	a.attributes = v->attrs;
	memcpy(p, &a, ACCESS_OFF);
	return s;
}

static efi_status fn_get_next(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_next_name n;
	if (plen < NEXT_OFF)
		return EFI_ACCESS_DENIED;
	memcpy(&n, p, NEXT_OFF);
	if (n.name_size > plen - NEXT_OFF)
		return EFI_ACCESS_DENIED;
	if (n.name_size < 2 || n.name_size % 2)
		return EFI_INVALID_PARAMETER;
	/* name_size is the buffer's capacity: the name is what comes before the first NUL. */
	uint16_t *name = uv_name_copy(p + NEXT_OFF, n.name_size);
	if (!name)
		return EFI_OUT_OF_RESOURCES;
	size_t len = 0;
	while (len < n.name_size / 2 && name[len])
		len++;
	if (len == n.name_size / 2) {
		free(name);
		return EFI_INVALID_PARAMETER; /* no NUL within the buffer */
	}
	const struct uv_var *next;
	efi_status s = uv_next_visible(uv, &n.guid, name, (len + 1) * 2, &next);
	free(name);
	if (s != EFI_SUCCESS)
		return s;
	s = EFI_BUFFER_TOO_SMALL;
	if (next->name_size <= n.name_size) {
		memcpy(p + NEXT_OFF, next->name, next->name_size);
		n.guid = next->guid;
		s = EFI_SUCCESS;
	}
	n.name_size = next->name_size;
	memcpy(p, &n, NEXT_OFF);
	return s;
}

static efi_status fn_set(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_access a;
	uint16_t *name;
	efi_status s = read_access(p, plen, &a, &name);
	if (s != EFI_SUCCESS)
		return s;
	struct uv_set_req r = {.guid = a.guid,
	                       .name = name,
	                       .name_size = a.name_size,
	                       .attrs = a.attributes,
	                       .data = p + ACCESS_OFF + a.name_size,
	                       .size = a.data_size};
	s = uv_set_variable(uv, &r);
	free(name);
	return s;
}

static efi_status fn_query(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_query_info q;
	if (plen < sizeof(q))
		return EFI_INVALID_PARAMETER; /* edk2: the payload must be the structure */
	memcpy(&q, p, sizeof(q));
	efi_status s = uv_query_info(uv, q.attributes, &q);
	if (s == EFI_SUCCESS)
		memcpy(p, &q, sizeof(q));
	return s;
}

static efi_status fn_lock(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_next_name n;
	uint16_t *name;
	if (plen < NEXT_OFF)
		return EFI_ACCESS_DENIED;
	memcpy(&n, p, NEXT_OFF);
	if (n.name_size > plen - NEXT_OFF)
		return EFI_ACCESS_DENIED;
	efi_status s = read_name(p + NEXT_OFF, n.name_size, &name);
	if (s != EFI_SUCCESS)
		return s;
	s = policy_lock_variable(uv, &n.guid, name, n.name_size);
	free(name);
	return s;
}

static efi_status fn_payload_size(struct uefivars *uv, uint8_t *p, size_t plen)
{
	struct mm_var_payload_size ps = {.payload_size = uv_payload_size(uv)};
	if (plen < sizeof(ps))
		return EFI_ACCESS_DENIED;
	memcpy(p, &ps, sizeof(ps));
	return EFI_SUCCESS;
}

static const char *fn_name(uint64_t fn)
{
	static const char *const names[] = {"unknown function",
	                                    "GetVariable",
	                                    "GetNextVariableName",
	                                    "SetVariable",
	                                    "QueryVariableInfo",
	                                    "ReadyToBoot",
	                                    "ExitBootServices",
	                                    "GetStatistics",
	                                    "LockVariable",
	                                    "VarCheckPropertySet",
	                                    "VarCheckPropertyGet",
	                                    "GetPayloadSize",
	                                    "InitRuntimeCacheContext",
	                                    "SyncRuntimeCache",
	                                    "GetRuntimeCacheInfo"};
	return fn < sizeof(names) / sizeof(names[0]) ? names[fn] : "unknown function";
}

void mm_variable(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len)
{
	(void)cap; /* replies never outgrow the request */
	*out_len = len;
	struct mm_var_header h;
	if (len < sizeof(h))
		return; /* no room for a status: edk2 ignores such a message too */
	memcpy(&h, msg, sizeof(h));
	uint8_t *p = msg + sizeof(h);
	size_t plen = len - sizeof(h);
	efi_status s;
	switch (h.function) {
	case MM_VAR_FN_GET_VARIABLE:
		s = fn_get(uv, p, plen);
		break;
	case MM_VAR_FN_GET_NEXT_VARIABLE_NAME:
		s = fn_get_next(uv, p, plen);
		break;
	case MM_VAR_FN_SET_VARIABLE:
		s = fn_set(uv, p, plen);
		break;
	case MM_VAR_FN_QUERY_VARIABLE_INFO:
		s = fn_query(uv, p, plen);
		break;
	case MM_VAR_FN_READY_TO_BOOT:
		/* edk2: unsupported once at runtime; else EndOfDxe is implied. */
		s = uv->phase >= UV_PHASE_RUNTIME ? EFI_UNSUPPORTED : EFI_SUCCESS;
		if (s == EFI_SUCCESS)
			uv_enter_phase(uv, UV_PHASE_READY_TO_BOOT);
		break;
	case MM_VAR_FN_EXIT_BOOT_SERVICE:
		uv_enter_phase(uv, UV_PHASE_RUNTIME);
		s = EFI_SUCCESS;
		break;
	case MM_VAR_FN_LOCK_VARIABLE:
		s = fn_lock(uv, p, plen);
		break;
	case MM_VAR_FN_GET_PAYLOAD_SIZE:
		s = fn_payload_size(uv, p, plen);
		break;
	default: /* statistics, VarCheck properties, the runtime cache, anything else */
		s = EFI_UNSUPPORTED;
		break;
	}
	h.status = s;
	memcpy(msg, &h, sizeof(h));
	if (s != EFI_SUCCESS && s != EFI_NOT_FOUND && s != EFI_BUFFER_TOO_SMALL)
		uv_log_refusal(uv, fn_name(h.function), h.function < 16 ? h.function : 0, s);
}
