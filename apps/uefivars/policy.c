/*
 * edk2 variable policy (MdeModulePkg/Library/VariablePolicyLib) and
 * LockVariable (MdeModulePkg/Universal/Variable/RuntimeDxe/
 * VariableLockRequestToLock.c): the table, registration and the check
 * every SetVariable passes (docs/variable-policy.md).
 *
 * Decisions that differ from a stock edk2 build, all on the strict side:
 * - DisableVariablePolicy is never honoured (edk2 with its default
 *   PcdAllowVariablePolicyEnforcementDisable = FALSE): policy_mm.c.
 * - The interface also counts as locked from ReadyToBoot on, whether or
 *   not the firmware sent LOCK (edk2's VariablePolicySmmDxe sends it at
 *   ReadyToBoot): nothing the OS sends can add policies.
 * - A duplicate is the same namespace and literally the same name (or
 *   two namespace-wide entries); edk2 only catches names without '#'.
 */
#include <stdlib.h>
#include <string.h>

#include "policy_table.h"
#include "policy_wire.h"

struct uv_policy *policy_new(void)
{
	return calloc(1, sizeof(struct uv_policy));
}

void policy_free(struct uv_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->count; i++)
		policy_entry_free(&p->ents[i]);
	free(p->ents);
	free(p->table);
	free(p);
}

bool policy_interface_locked(const struct uefivars *uv)
{
	return uv->policy->locked || uv->phase >= UV_PHASE_READY_TO_BOOT;
}

/* Room for one more entry of `size` bytes; false when the table is full or memory is. */
static bool table_reserve(struct uv_policy *p, size_t size)
{
	if (p->used + size > POLICY_TABLE_MAX)
		return false;
	if (p->used + size > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4096;
		while (cap < p->used + size)
			cap *= 2;
		uint8_t *t = realloc(p->table, cap);
		if (t == NULL)
			return false;
		p->table = t;
		p->cap = cap;
	}
	if (p->count == p->ents_cap) {
		size_t n = p->ents_cap ? p->ents_cap * 2 : 16;
		struct policy_ent *e = realloc(p->ents, n * sizeof(*e));
		if (e == NULL)
			return false;
		p->ents = e;
		p->ents_cap = n;
	}
	return true;
}

efi_status policy_register(struct uefivars *uv, const uint8_t *entry, size_t avail)
{
	struct uv_policy *p = uv->policy;
	struct policy_ent e;

	if (p == NULL)
		return EFI_NOT_READY;
	if (policy_interface_locked(uv))
		return EFI_WRITE_PROTECTED;
	if (!policy_entry_parse(entry, avail, &e))
		return EFI_INVALID_PARAMETER;
	for (size_t i = 0; i < p->count; i++) {
		if (policy_entry_same(&p->ents[i], &e)) {
			policy_entry_free(&e);
			return EFI_ALREADY_STARTED;
		}
	}
	/* Parsed, so Size is in the entry's first bytes and fits in avail. */
	uint16_t size;
	memcpy(&size, entry + offsetof(struct variable_policy_entry, size), sizeof(size));
	if (!table_reserve(p, size)) {
		policy_entry_free(&e);
		return EFI_OUT_OF_RESOURCES;
	}
	memcpy(p->table + p->used, entry, size);
	e.table_off = p->used;
	p->used += size;
	p->ents[p->count++] = e;
	return EFI_SUCCESS;
}

/* Characters before the first NUL (the whole buffer when there is none). */
static size_t name_len(const uint16_t *name, size_t name_size)
{
	size_t n = name_size / 2, i = 0;

	while (i < n && name[i] != 0)
		i++;
	return i;
}

const struct policy_ent *policy_best_match(const struct uv_policy *p, const efi_guid *guid,
                                           const uint16_t *name, size_t len)
{
	const struct policy_ent *best = NULL;
	int best_prio = POLICY_MATCH_NAMESPACE + 1;

	for (size_t i = 0; i < p->count && best_prio != POLICY_MATCH_EXACT; i++) {
		int prio = policy_entry_match(&p->ents[i], guid, name, len);
		if (prio >= 0 && prio < best_prio) {
			best = &p->ents[i];
			best_prio = prio;
		}
	}
	return best;
}

static efi_status check_lock(const struct uefivars *uv, const struct policy_ent *e,
                             const efi_guid *guid, const uint16_t *name, size_t name_size)
{
	const struct uv_var *v;

	/* Variables as edk2's internal GetVariable sees them: from ExitBootServices on, RT only. */
	switch (e->lock_type) {
	case VARIABLE_POLICY_TYPE_LOCK_NOW:
		return EFI_WRITE_PROTECTED;
	case VARIABLE_POLICY_TYPE_LOCK_ON_CREATE:
		/* edk2 asks GetVariable with size 0: BUFFER_TOO_SMALL means it exists with data. */
		v = uv_find_visible(uv, guid, name, name_size);
		return v != NULL && v->size > 0 ? EFI_WRITE_PROTECTED : EFI_SUCCESS;
	case VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE:
		/* Locked while the state variable is exactly one byte equal to Value. */
		v = uv_find_visible(uv, &e->state_ns, e->state_name, e->state_name_size);
		if (v != NULL && v->size == 1 && v->data[0] == e->state_value)
			return EFI_WRITE_PROTECTED;
		return EFI_SUCCESS;
	default:
		return EFI_SUCCESS;
	}
}

/*
 * edk2 ValidateSetVariable, called as VarCheckLib calls it: only from
 * EndOfDxe on (VarCheckLibSetVariableCheck returns success before), so a
 * LockVariable or LOCK_NOW policy registered during DXE takes effect at
 * EndOfDxe. `size` is the payload, after any authentication descriptor.
 */
efi_status policy_check_set(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                            size_t name_size, uint32_t attrs, size_t size)
{
	const struct uv_policy *p = uv->policy;

	if (p == NULL || p->count == 0 || uv->phase < UV_PHASE_END_OF_DXE)
		return EFI_SUCCESS;
	const struct policy_ent *e = policy_best_match(p, guid, name, name_len(name, name_size));
	if (e == NULL)
		return EFI_SUCCESS;
	/* Size and attribute rules do not apply to a delete (size 0 without APPEND_WRITE). */
	bool is_delete = size == 0 && (attrs & EFI_VARIABLE_APPEND_WRITE) == 0;
	if (!is_delete) {
		if ((e->min_size > 0 && size < e->min_size) ||
		    (e->max_size > 0 && size > e->max_size))
			return EFI_INVALID_PARAMETER;
		if ((attrs & e->must_have) != e->must_have || (attrs & e->cant_have) != 0)
			return EFI_INVALID_PARAMETER;
	}
	return check_lock(uv, e, guid, name, name_size);
}

/* A name LockVariable accepts: even size, at least one character, one NUL at the end. */
static bool lock_name_valid(const uint16_t *name, size_t name_size)
{
	if (name == NULL || name_size < 4 || name_size % 2 != 0 || name_size > 0xffffu)
		return false;
	return name_len(name, name_size) == name_size / 2 - 1;
}

/*
 * edk2 VariableLockRequestToLock: a LOCK_NOW policy for exactly this
 * name (a '#' in it is a wildcard there too); an existing identical
 * LOCK_NOW policy is success. Refused from EndOfDxe on, as VariableSmm.c
 * refuses SMM_VARIABLE_FUNCTION_LOCK_VARIABLE once mEndOfDxe is set.
 */
efi_status policy_lock_variable(struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                                size_t name_size)
{
	struct variable_policy_entry h = {
	    .version = VARIABLE_POLICY_ENTRY_REVISION,
	    .offset_to_name = sizeof(h),
	    .ns = *guid,
	    .max_size = VARIABLE_POLICY_NO_MAX_SIZE,
	    .lock_type = VARIABLE_POLICY_TYPE_LOCK_NOW,
	};

	if (uv->phase >= UV_PHASE_END_OF_DXE)
		return EFI_ACCESS_DENIED;
	if (!lock_name_valid(name, name_size) || sizeof(h) + name_size > 0xffffu)
		return EFI_INVALID_PARAMETER;
	h.size = (uint16_t)(sizeof(h) + name_size);
	uint8_t *entry = malloc(h.size);
	if (entry == NULL)
		return EFI_OUT_OF_RESOURCES;
	memcpy(entry, &h, sizeof(h));
	memcpy(entry + sizeof(h), name, name_size);
	efi_status st = policy_register(uv, entry, h.size);
	if (st == EFI_ALREADY_STARTED) {
		const struct uv_policy *p = uv->policy;
		for (size_t i = 0; i < p->count; i++) {
			const struct policy_ent *e = &p->ents[i];
			if (efi_guid_eq(&e->ns, guid) && e->has_name &&
			    e->name_len == name_size / 2 - 1 &&
			    memcmp(e->name, name, name_size) == 0)
				st = e->lock_type == VARIABLE_POLICY_TYPE_LOCK_NOW ? EFI_SUCCESS
				                                                   : st;
		}
	}
	free(entry);
	return st;
}
