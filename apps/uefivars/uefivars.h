/*
 * The variable service's modules and the interfaces between them
 * (docs/uefivars.md):
 *
 *   mm_*.c       one MM communicate buffer in, status and reply out (core)
 *   var_*.c      the variables in memory, the SetVariable rules, quota (core)
 *   persist.c    non-volatile variables in storaged, atomically (core)
 *   auth_*.c     authenticated variables and Secure Boot (auth)
 *   policy*.c    edk2 variable policy and LockVariable (policy)
 *   fdstore.c    raw edk2 varstore files (fdstore.h; also keel-varctl)
 *
 * Names are UCS-2 (uint16_t, little-endian as on x86), NUL-terminated,
 * sizes in bytes including the NUL, as on the wire.
 */
#ifndef UEFIVARS_H
#define UEFIVARS_H

#include <stdbool.h>

#include <keel/types.h>

#include "efi.h"

/* Boot phases, in order. Set by the MM events; never go back within a boot. */
enum uv_phase {
	UV_PHASE_DXE = 0,        /* from the start */
	UV_PHASE_END_OF_DXE,     /* mm_end_of_dxe_guid: locks LockVariable requests, policy */
	UV_PHASE_READY_TO_BOOT,  /* READY_TO_BOOT function or mm_ready_to_boot_guid */
	UV_PHASE_RUNTIME,        /* EXIT_BOOT_SERVICE or mm_exit_boot_services_guid: BS-only variables vanish */
};

/* One variable. The list is in creation order, which GetNextVariableName follows. */
struct uv_var {
	struct uv_var *next;
	efi_guid guid;
	uint16_t *name;      /* malloc'd, NUL-terminated */
	size_t name_size;    /* bytes incl. the NUL */
	uint32_t attrs;      /* as stored: never APPEND_WRITE */
	uint8_t *data;       /* malloc'd (NULL when size is 0) */
	size_t size;
	struct efi_time time; /* TIME_BASED_AUTHENTICATED_WRITE_ACCESS variables */
	bool has_digest;     /* private authenticated variables: the signer they are pinned to */
	uint8_t digest[32];
	uint64_t seq;        /* creation order, persisted */
};

struct uv_policy; /* policy.h */

struct uefivars {
	struct uv_var *vars;
	uint64_t next_seq;
	enum uv_phase phase;
	keel_handle_t store;  /* storaged channel, or KEEL_HANDLE_NONE in unit tests (nothing persisted) */
	struct uv_policy *policy;
	/* Quota (QueryVariableInfo): bytes of name + data + a per-variable overhead. */
	uint64_t max_storage, max_variable_size;
	uint64_t nv_used, volatile_used;
	/* Secure Boot state, kept by auth (secureboot_refresh). */
	bool setup_mode, secure_boot, custom_mode;
	/* Import (KEEL_VARADMIN_IMPORT) and first-boot defaults come from here. */
	const uint8_t *default_store; /* raw edk2 varstore from the manifest's data blob, or NULL */
	size_t default_store_size;
	/* core: refusal classes already logged (bit = status number; slot = MM function 0..15,
	 * then UV_LOG_* of uv_int.h). */
	uint64_t logged_refusals[20];
};

#define KEEL_HANDLE_NONE ((keel_handle_t)-1)

/* ---- core: set-up and the MM entry point ---- */

/*
 * Load the variables: from storaged (`store`; KEEL_HANDLE_NONE: memory
 * only, for unit tests and the fuzz target), or on a first boot from the
 * default store (raw edk2 varstore; NULL: empty, setup mode), committed
 * at once. EFI_SUCCESS, or a status with a log line saying why.
 */
efi_status uv_init(struct uefivars *uv, keel_handle_t store, const uint8_t *default_store,
                   size_t default_size);
void uv_fini(struct uefivars *uv);

/*
 * One SVSM_UEFI_MM_REQUEST: `buf` holds the guest buffer (len bytes,
 * MM_BUFFER_MIN..MM_BUFFER_MAX). Answers in place (the status in the
 * message's header); returns the bytes to copy back (24 + the reply's
 * MessageLength), and sets *svsm_rc to SVSM_SUCCESS, or to
 * SVSM_ERR_INVALID_PARAMETER when the buffer is not an MM buffer at all
 * (shorter than its header, MessageLength past the end), with nothing
 * to copy back. Never reads or writes outside buf[0..len).
 */
size_t uv_mm_request(struct uefivars *uv, uint8_t *buf, size_t len, uint64_t *svsm_rc);

/* ---- core: the variables (var_store.c) ---- */

struct uv_var *uv_find(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                       size_t name_size);
/* uv_find as the guest sees the store: after ExitBootServices, runtime variables only. */
struct uv_var *uv_find_visible(const struct uefivars *uv, const efi_guid *guid,
                               const uint16_t *name, size_t name_size);

/*
 * One change; uv_apply applies a set of them atomically: every
 * non-volatile one staged in storaged and committed once, and memory
 * changed only after that commit succeeded (else EFI_DEVICE_ERROR and
 * nothing changed). Data is copied; pointers may point into the request.
 */
enum uv_op { UV_WRITE, UV_DELETE };
struct uv_update {
	enum uv_op op;
	efi_guid guid;
	const uint16_t *name;
	size_t name_size;
	uint32_t attrs;
	const uint8_t *data;
	size_t size;
	struct efi_time time;
	bool has_digest;
	uint8_t digest[32];
};
efi_status uv_apply(struct uefivars *uv, const struct uv_update *ups, size_t n);

/* A volatile variable the service itself keeps (SetupMode, SecureBoot, ...): memory only. */
efi_status uv_set_internal(struct uefivars *uv, const efi_guid *guid, const char *ascii_name,
                           uint32_t attrs, const void *data, size_t size);

/* UCS-2 helpers (var_name.c). */
bool uv_name_valid(const uint16_t *name, size_t name_size); /* even, >= 2, NUL only at the end */
bool uv_name_is(const uint16_t *name, size_t name_size, const char *ascii);

/* ---- auth: authenticated variables and Secure Boot (auth_*.c) ---- */

/* A SetVariable request after the generic checks (sizes, attribute bits, phase, policy). */
struct uv_set_req {
	efi_guid guid;
	const uint16_t *name;
	size_t name_size;
	uint32_t attrs; /* as given, APPEND_WRITE included */
	const uint8_t *data;
	size_t size;
};

/* Does this write go through auth_set_variable? (TIME_BASED attribute, an existing
 * authenticated variable, or a Secure Boot policy variable.) */
bool auth_applies(const struct uefivars *uv, const struct uv_set_req *req);

/*
 * Decide an authenticated write as edk2's AuthVariableLib does. On
 * EFI_SUCCESS, res->ups[0..n) are the changes for uv_apply (the variable
 * itself: write with the payload, the appended list or delete; and any
 * non-volatile mode variable that changes with it). Data pointers point
 * into req->data or into res->scratch; auth_result_free releases it.
 */
#define AUTH_MAX_UPDATES 4
struct auth_result {
	struct uv_update ups[AUTH_MAX_UPDATES];
	size_t n;
	void *scratch;
};
efi_status auth_set_variable(struct uefivars *uv, const struct uv_set_req *req,
                             struct auth_result *res);
void auth_result_free(struct auth_result *res);

/* Read-only to SetVariable (EFI_WRITE_PROTECTED): SetupMode, SecureBoot, the *Default keys, VendorKeys... */
bool secureboot_read_only(const efi_guid *guid, const uint16_t *name, size_t name_size);

/* Recompute SetupMode, SecureBoot, VendorKeys, ... (volatile, uv_set_internal) from
 * PK and the rest. Called after loading and after every successful uv_apply. */
void secureboot_refresh(struct uefivars *uv);

/* At load: PKDefault, KEKDefault, dbDefault, dbxDefault (volatile, read-only) from the default store. */
void secureboot_load_defaults(struct uefivars *uv);

#endif
