/*
 * Variable policy structures on the wire (packed, little-endian), from
 * edk2 MdePkg/Include/Protocol/VariablePolicy.h (VARIABLE_POLICY_ENTRY
 * revision 0x10000) and MdeModulePkg/Include/Guid/VarCheckPolicyMmi.h.
 * The policy header itself (struct mm_policy_header) is in mm_wire.h.
 *
 * A policy entry is {VARIABLE_POLICY_ENTRY; for LOCK_ON_VAR_STATE a
 * VARIABLE_LOCK_ON_VAR_STATE_POLICY and its NUL-terminated name; then the
 * variable name, NUL-terminated, ending exactly at Size}, or no name at
 * all (OffsetToName == Size): the whole namespace. Read with memcpy.
 */
#ifndef UEFIVARS_POLICY_WIRE_H
#define UEFIVARS_POLICY_WIRE_H

#include <stddef.h>

#include "efi.h"

#define VARIABLE_POLICY_ENTRY_REVISION 0x00010000u

struct variable_policy_entry {
	uint32_t version; /* VARIABLE_POLICY_ENTRY_REVISION */
	uint16_t size;    /* the whole entry, names included */
	uint16_t offset_to_name;
	efi_guid ns;       /* Namespace */
	uint32_t min_size; /* 0: no minimum */
	uint32_t max_size; /* UINT32_MAX: no maximum; 0 is malformed */
	uint32_t attrs_must_have;
	uint32_t attrs_cant_have;
	uint8_t lock_type; /* VARIABLE_POLICY_TYPE_* */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct variable_policy_entry) == 44, "VARIABLE_POLICY_ENTRY");
_Static_assert(offsetof(struct variable_policy_entry, ns) == 8, "Namespace at 8");
_Static_assert(offsetof(struct variable_policy_entry, lock_type) == 40, "LockPolicyType at 40");

#define VARIABLE_POLICY_NO_MAX_SIZE 0xffffffffu

#define VARIABLE_POLICY_TYPE_NO_LOCK 0u
#define VARIABLE_POLICY_TYPE_LOCK_NOW 1u
#define VARIABLE_POLICY_TYPE_LOCK_ON_CREATE 2u
#define VARIABLE_POLICY_TYPE_LOCK_ON_VAR_STATE 3u

/* Follows the entry for LOCK_ON_VAR_STATE: locked while Namespace:Name is one byte equal to Value.
 */
struct variable_lock_on_var_state_policy {
	efi_guid ns;
	uint8_t value;
	uint8_t reserved;
	/* uint16_t name[]; NUL-terminated, no wildcards */
} __attribute__((packed));
_Static_assert(sizeof(struct variable_lock_on_var_state_policy) == 18,
               "VARIABLE_LOCK_ON_VAR_STATE_POLICY");

/* VAR_CHECK_POLICY_COMM_IS_ENABLED_PARAMS: BOOLEAN State, after the policy header. */
struct mm_policy_is_enabled {
	uint8_t state;
} __attribute__((packed));

/* VAR_CHECK_POLICY_COMM_DUMP_PARAMS, after the policy header; the page follows it. */
struct mm_policy_dump {
	uint32_t page_requested; /* 0: snapshot the table, report TotalSize */
	uint32_t total_size;
	uint32_t page_size;
	uint8_t has_more;
} __attribute__((packed));
_Static_assert(sizeof(struct mm_policy_dump) == 13, "VAR_CHECK_POLICY_COMM_DUMP_PARAMS");

/*
 * edk2's VAR_CHECK_POLICY_MM_COMM_BUFFER_SIZE is 4 pages; a dump page is
 * what is left of it after the MM header (24), the policy header (20) and
 * the dump parameters (13). A DUMP message must hold a whole page.
 */
#define MM_POLICY_COMM_BUFFER_SIZE 16384u
#define MM_POLICY_DUMP_PAGE_SIZE (MM_POLICY_COMM_BUFFER_SIZE - (24u + 20u + 13u))

/* Newer edk2 (VarCheckPolicyMmi.h): the policy that applies to one variable. */
#define MM_POLICY_CMD_GET_INFO 6u
#define MM_POLICY_CMD_GET_LOCK_VAR_STATE_INFO 7u

/*
 * VAR_CHECK_POLICY_COMM_GET_INFO_PARAMS, after the policy header; the
 * input name follows, then (at InputVariableNameSize past it) the output
 * name. The output entry is a VARIABLE_POLICY_ENTRY (GET_INFO) or a
 * VARIABLE_LOCK_ON_VAR_STATE_POLICY (GET_LOCK_VAR_STATE_INFO), zero-padded.
 */
struct mm_policy_get_info {
	efi_guid vendor;
	uint32_t in_name_size;
	uint32_t out_name_size; /* in: room for the output name; out: its size */
	uint8_t out_entry[sizeof(struct variable_policy_entry)];
	/* uint16_t in_name[]; */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_policy_get_info) == 68,
               "VAR_CHECK_POLICY_COMM_GET_INFO_PARAMS_END");
/* What is left of edk2's 16 KiB buffer for both names; a GET_INFO message must hold it. */
#define MM_POLICY_GET_INFO_NAMES_SIZE (MM_POLICY_COMM_BUFFER_SIZE - (24u + 20u + 68u))

/* EFI_TIMEOUT (efi.h): a DUMP page > 0 without a snapshot (edk2's answer). */

#endif
