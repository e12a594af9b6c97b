/*
 * The policy table shared by policy.c (matching, registration, the
 * SetVariable check) and policy_mm.c (the MM commands). Not for the rest
 * of the service: it calls policy.h.
 */
#ifndef UEFIVARS_POLICY_TABLE_H
#define UEFIVARS_POLICY_TABLE_H

#include <stdbool.h>

#include "policy.h"

/*
 * Registered entries are appended as their wire bytes to `table` (what
 * DUMP returns, as edk2 does) and decoded once into `ents`.
 */
struct policy_ent {
	size_t table_off; /* where its wire bytes start in uv_policy.table */
	efi_guid ns;
	uint32_t min_size, max_size, must_have, cant_have;
	uint8_t lock_type;
	bool has_name;     /* false: the whole namespace */
	uint16_t *name;    /* malloc'd, NUL-terminated; may hold '#' wildcards */
	size_t name_len;   /* characters, without the NUL */
	efi_guid state_ns; /* LOCK_ON_VAR_STATE only */
	uint8_t state_value;
	uint16_t *state_name;   /* malloc'd, NUL-terminated */
	size_t state_name_size; /* bytes, with the NUL */
};

/*
 * More than this many bytes of policies is refused (EFI_OUT_OF_RESOURCES):
 * a bound on memory and on the scan every SetVariable makes. OVMF
 * registers a few dozen entries of under 100 bytes.
 */
#define POLICY_TABLE_MAX (128u * 1024u)

struct uv_policy {
	uint8_t *table;
	size_t used, cap;
	struct policy_ent *ents;
	size_t count, ents_cap;
	bool locked;      /* the LOCK command was accepted */
	bool dump_active; /* a paged DUMP is under way over table[0..dump_size) */
	size_t dump_size;
};

/* ---- policy_entry.c: one entry ---- */

/*
 * Decode and check the entry at `p` (`avail` bytes, its Size may be less)
 * as edk2's IsValidVariablePolicyStructure does, never reading past
 * min(Size, avail). true with *out filled (names malloc'd), or false.
 */
bool policy_entry_parse(const uint8_t *p, size_t avail, struct policy_ent *out);
void policy_entry_free(struct policy_ent *e);

/* Match priorities (edk2 EvaluatePolicyMatch): 0 exact, 1..255 per '#', 255 the whole namespace. */
#define POLICY_MATCH_EXACT 0
#define POLICY_MATCH_NAMESPACE 255
/*
 * Does `e` cover guid:name (`len` characters, no NUL needed)? The
 * priority (lower wins), or -1. '#' matches one hex digit, 0-9 A-F a-f.
 */
int policy_entry_match(const struct policy_ent *e, const efi_guid *guid, const uint16_t *name,
                       size_t len);

/* Same namespace and literally the same name (or both namespace-wide). */
bool policy_entry_same(const struct policy_ent *a, const struct policy_ent *b);

/* ---- policy.c: the table ---- */

/*
 * REGISTER: `entry` holds `avail` bytes starting with a VARIABLE_POLICY_ENTRY.
 * EFI_SUCCESS, EFI_WRITE_PROTECTED (interface locked), EFI_INVALID_PARAMETER
 * (malformed), EFI_ALREADY_STARTED (same namespace and name already there),
 * EFI_OUT_OF_RESOURCES.
 */
efi_status policy_register(struct uefivars *uv, const uint8_t *entry, size_t avail);

/* edk2 GetBestPolicyMatch over the table: the lowest priority wins, the earliest on a tie; NULL if
 * none. */
const struct policy_ent *policy_best_match(const struct uv_policy *p, const efi_guid *guid,
                                           const uint16_t *name, size_t len);

/*
 * policy_info.c: GET_INFO / GET_LOCK_VAR_STATE_INFO (`cmd`) on the
 * message `msg` of n bytes; the status for the Result.
 */
efi_status policy_mm_get_info(struct uefivars *uv, uint8_t *msg, size_t n, uint32_t cmd);

/* Locked for changes: by the LOCK command, or implicitly from ReadyToBoot on (policy.c says why).
 */
bool policy_interface_locked(const struct uefivars *uv);

#endif
