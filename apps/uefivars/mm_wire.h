/*
 * The MM communicate buffer an SVSM_UEFI_MM_REQUEST carries (protocol 4,
 * call 1; RCX = the buffer's guest address, RDX = its size, 24 bytes to
 * 256 KiB): edk2's EFI_MM_COMMUNICATE_HEADER, then the message for the
 * header's GUID. All structures are packed and little-endian, exactly as
 * edk2 lays them out on x86-64 (UINTN = 8 bytes): the name of
 * SMM_VARIABLE_COMMUNICATE_ACCESS_VARIABLE starts at offset 36. Read them
 * with memcpy (the buffer is not aligned for them).
 *
 * Sources: edk2 MdeModulePkg/Include/Guid/SmmVariableCommon.h,
 * MdePkg/Include/Protocol/MmCommunication.h, MdeModulePkg/Include/Guid/
 * VarCheckPolicyMmi.h, MdePkg/Include/Protocol/VariablePolicy.h.
 */
#ifndef UEFIVARS_MM_WIRE_H
#define UEFIVARS_MM_WIRE_H

#include "efi.h"

/* Buffer sizes the transport allows (RDX), and the one edk2 uses. */
#define MM_BUFFER_MIN 24u
#define MM_BUFFER_MAX (256u * 1024u)
#define MM_BUFFER_EDK2 (64u * 1024u)

/* EFI_MM_COMMUNICATE_HEADER: MessageLength bytes of message follow. */
struct mm_header {
	efi_guid guid;
	uint64_t length; /* MessageLength: bytes after this header, <= buffer size - 24 */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_header) == 24, "mm_header");

/* SMM_VARIABLE_COMMUNICATE_HEADER, the message of mm_variable_guid. */
struct mm_var_header {
	uint64_t function;   /* MM_VAR_FN_* */
	uint64_t status;     /* ReturnStatus: efi_status, written by the service */
	/* uint8_t data[]; the function's structure */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_var_header) == 16, "mm_var_header");

#define MM_VAR_FN_GET_VARIABLE 1u
#define MM_VAR_FN_GET_NEXT_VARIABLE_NAME 2u
#define MM_VAR_FN_SET_VARIABLE 3u
#define MM_VAR_FN_QUERY_VARIABLE_INFO 4u
#define MM_VAR_FN_READY_TO_BOOT 5u
#define MM_VAR_FN_EXIT_BOOT_SERVICE 6u
#define MM_VAR_FN_GET_STATISTICS 7u             /* EFI_UNSUPPORTED */
#define MM_VAR_FN_LOCK_VARIABLE 8u
#define MM_VAR_FN_VAR_CHECK_PROPERTY_SET 9u     /* EFI_UNSUPPORTED (edk2's VarCheck properties) */
#define MM_VAR_FN_VAR_CHECK_PROPERTY_GET 10u    /* EFI_UNSUPPORTED */
#define MM_VAR_FN_GET_PAYLOAD_SIZE 11u
#define MM_VAR_FN_INIT_RUNTIME_CACHE_CONTEXT 12u /* EFI_UNSUPPORTED: no runtime cache */
#define MM_VAR_FN_SYNC_RUNTIME_CACHE 13u        /* EFI_UNSUPPORTED */
#define MM_VAR_FN_GET_RUNTIME_CACHE_INFO 14u    /* EFI_UNSUPPORTED */

/* SMM_VARIABLE_COMMUNICATE_ACCESS_VARIABLE (Get and Set): name, then data, follow. */
struct mm_var_access {
	efi_guid guid;
	uint64_t data_size;
	uint64_t name_size; /* bytes, including the UCS-2 NUL */
	uint32_t attributes;
	/* uint16_t name[name_size / 2]; uint8_t data[data_size]; */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_var_access) == 36, "name at offset 36");

/* SMM_VARIABLE_COMMUNICATE_GET_NEXT_VARIABLE_NAME (and LOCK_VARIABLE's SMM_VARIABLE_COMMUNICATE_LOCK_VARIABLE). */
struct mm_var_next_name {
	efi_guid guid;
	uint64_t name_size; /* in: the buffer's name capacity; out: the name's size */
	/* uint16_t name[]; */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_var_next_name) == 24, "mm_var_next_name");

/* SMM_VARIABLE_COMMUNICATE_QUERY_VARIABLE_INFO. */
struct mm_var_query_info {
	uint64_t max_storage_size;
	uint64_t remaining_storage_size;
	uint64_t max_variable_size;
	uint32_t attributes;
} __attribute__((packed));
_Static_assert(sizeof(struct mm_var_query_info) == 28, "mm_var_query_info");

/* SMM_VARIABLE_COMMUNICATE_GET_PAYLOAD_SIZE. */
struct mm_var_payload_size {
	uint64_t payload_size;
} __attribute__((packed));

/* VAR_CHECK_POLICY_COMM_HEADER, the message of mm_var_policy_guid (policy_mm.c has the rest). */
struct mm_policy_header {
	uint32_t signature; /* 'V','C','P','C' */
	uint32_t revision;  /* 1 */
	uint32_t command;   /* MM_POLICY_CMD_* */
	uint64_t result;    /* efi_status, written by the service */
} __attribute__((packed));
_Static_assert(sizeof(struct mm_policy_header) == 20, "mm_policy_header");
#define MM_POLICY_SIGNATURE 0x43504356u /* SIGNATURE_32('V','C','P','C') */
#define MM_POLICY_REVISION 1u
#define MM_POLICY_CMD_DISABLE 1u
#define MM_POLICY_CMD_IS_ENABLED 2u
#define MM_POLICY_CMD_REGISTER 3u
#define MM_POLICY_CMD_DUMP 4u
#define MM_POLICY_CMD_LOCK 5u

/*
 * Keel's own message (keel_varadmin_guid): what keel-varctl needs beyond
 * the UEFI functions. Same framing as mm_var_header: {u64 function; u64
 * status} then the function's structure.
 *
 * KEEL_VARADMIN_GET_RECORD: in {guid; u64 name_size; name}, out: one
 *   varadmin_record (the variable's attributes, timestamp, signer digest
 *   and data) in place of the input. For `export`. The usual access rules
 *   (runtime: RT variables only) apply; BUFFER_TOO_SMALL when it does not fit.
 * KEEL_VARADMIN_IMPORT: in {u32 count; u32 reserved} then `count`
 *   varadmin_records: loaded atomically (one storaged commit) into a store
 *   that holds no non-volatile variable yet, before EndOfDxe; otherwise
 *   EFI_WRITE_PROTECTED (store not empty) or EFI_ACCESS_DENIED (too late).
 *   It gives the caller no power setup mode does not give it already.
 */
#define KEEL_VARADMIN_GET_RECORD 1u
#define KEEL_VARADMIN_IMPORT 2u

struct varadmin_record {
	efi_guid guid;
	uint32_t attributes;
	uint32_t name_size;   /* bytes incl. the NUL */
	uint32_t data_size;
	uint8_t has_digest;   /* private authenticated variable: its signer digest */
	uint8_t reserved[3];
	struct efi_time time; /* zero unless TIME_BASED_AUTHENTICATED_WRITE_ACCESS */
	uint8_t digest[32];
	/* uint16_t name[name_size/2]; uint8_t data[data_size]; then zero padding to 8 bytes */
} __attribute__((packed));
_Static_assert(sizeof(struct varadmin_record) == 80, "varadmin_record");

#endif
