/*
 * GET_INFO and GET_LOCK_VAR_STATE_INFO (newer edk2: VarCheckPolicyLib.c
 * and VariablePolicyLib.c GetVariablePolicyInfo /
 * GetLockOnVariableStateVariablePolicyInfo): which policy applies to one
 * variable, and its name (or its state variable's name). The message is
 * {policy header; mm_policy_get_info; input name; output name}, the two
 * names sharing MM_POLICY_GET_INFO_NAMES_SIZE bytes.
 *
 * edk2 reads the input name up to its NUL wherever that is; here it must
 * end inside InputVariableNameSize, which must fit the names area.
 */
#include <string.h>

#include "mm_wire.h"
#include "policy_table.h"
#include "policy_wire.h"

#define PARAMS sizeof(struct mm_policy_header)
#define NAMES (PARAMS + sizeof(struct mm_policy_get_info))

/* Characters of the input name before its NUL; false when there is none inside `size`. */
static bool input_name(const uint8_t *p, size_t size, uint16_t *out, size_t *len)
{
	for (size_t i = 0; i + 2 <= size; i += 2) {
		uint16_t c = (uint16_t)(p[i] | p[i + 1] << 8);
		if (c == 0) {
			*len = i / 2;
			return true;
		}
		out[i / 2] = c;
	}
	return false;
}

/*
 * The matching entry's part GET_INFO or GET_LOCK_VAR_STATE_INFO reports:
 * `fixed` (the entry header, or the lock structure) and the name that
 * goes with it. NOT_FOUND when none applies.
 */
static efi_status pick(const struct uv_policy *p, const struct policy_ent *e, uint32_t cmd,
                       const uint8_t **fixed, size_t *fixed_size, const uint16_t **name,
                       size_t *name_size)
{
	const uint8_t *raw = p->table + e->table_off;

	if (cmd == MM_POLICY_CMD_GET_INFO) {
		*fixed = raw;
		*fixed_size = sizeof(struct variable_policy_entry);
		*name = e->has_name ? e->name : NULL;
		*name_size = e->has_name ? (e->name_len + 1) * 2 : 0;
		return EFI_SUCCESS;
	}
	if (e->lock_type != VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE)
		return EFI_NOT_FOUND;
	*fixed = raw + sizeof(struct variable_policy_entry);
	*fixed_size = sizeof(struct variable_lock_on_var_state_policy);
	*name = e->state_name;
	*name_size = e->state_name_size;
	return EFI_SUCCESS;
}

efi_status policy_mm_get_info(struct uefivars *uv, uint8_t *msg, size_t n, uint32_t cmd)
{
	static uint16_t
	    name[MM_POLICY_GET_INFO_NAMES_SIZE / 2]; /* aligned copy; one request at a time */
	struct mm_policy_get_info gi;
	const uint8_t *fixed;
	const uint16_t *out_name;
	size_t fixed_size, out_size, len;

	if (n < NAMES + MM_POLICY_GET_INFO_NAMES_SIZE)
		return EFI_INVALID_PARAMETER;
	memcpy(&gi, msg + PARAMS, sizeof(gi));
	if (gi.in_name_size > MM_POLICY_GET_INFO_NAMES_SIZE ||
	    !input_name(msg + NAMES, gi.in_name_size, name, &len))
		return EFI_INVALID_PARAMETER;
	size_t room = MM_POLICY_GET_INFO_NAMES_SIZE - gi.in_name_size;
	uint8_t *out = msg + NAMES + gi.in_name_size;
	memset(msg + PARAMS + offsetof(struct mm_policy_get_info, out_entry), 0,
	       sizeof(gi.out_entry));
	const struct policy_ent *e = policy_best_match(uv->policy, &gi.vendor, name, len);
	if (e == NULL)
		return EFI_NOT_FOUND;
	efi_status st = pick(uv->policy, e, cmd, &fixed, &fixed_size, &out_name, &out_size);
	if (st != EFI_SUCCESS)
		return st;
	memcpy(msg + PARAMS + offsetof(struct mm_policy_get_info, out_entry), fixed, fixed_size);
	uint32_t cap = gi.out_name_size;
	gi.out_name_size = (uint32_t)out_size;
	memcpy(msg + PARAMS + offsetof(struct mm_policy_get_info, out_name_size), &gi.out_name_size,
	       sizeof(gi.out_name_size));
	if (out_size == 0) {
		memset(out, 0, room); /* no name: edk2 fills the output with NULs */
		return EFI_SUCCESS;
	}
	if (cap < out_size)
		return EFI_BUFFER_TOO_SMALL; /* out_name_size says how much is needed */
	if (out_size > room)
		return EFI_BAD_BUFFER_SIZE; /* the caller's input name left too little */
	memcpy(out, out_name, out_size);
	return EFI_SUCCESS;
}
