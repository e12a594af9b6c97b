/*
 * The core's internal interfaces between its files (mm_*.c, var_*.c,
 * persist*.c). Other parts should need only uefivars.h (policy.c includes
 * this header but uses only uv_find_visible, declared in uefivars.h).
 */
#ifndef UEFIVARS_UV_INT_H
#define UEFIVARS_UV_INT_H

#include "mm_wire.h"
#include "uefivars.h"

/*
 * Sizes as edk2 computes them for OVMF (4 MB flash): every variable costs
 * an AUTHENTICATED_VARIABLE_HEADER plus its name and data, each padded to
 * 4 bytes; a variable (header included) is at most PcdMaxVariableSize =
 * PcdMaxAuthVariableSize. Hardware error records have their own space.
 */
#define UV_VAR_HEADER 60u
#define UV_MAX_VAR_SIZE 0x8400u
#define UV_MAX_HWERR_VAR_SIZE 0x8000u          /* PcdMaxHardwareErrorVariableSize (edk2 default) */
#define UV_HWERR_STORE 0x8000u                 /* PcdHwErrStorageSize */
#define UV_NV_STORE (0x40000u - 0x48u - 0x1cu) /* the store minus FV and store headers */
#define UV_NV_COMMON (UV_NV_STORE - UV_HWERR_STORE) /* edk2's CommonVariableSpace */
#define UV_VOLATILE_STORE (0x40000u - 0x1cu)        /* PcdVariableStoreSize minus its header */
/* OFFSET_OF (SMM_VARIABLE_COMMUNICATE_VAR_CHECK_VARIABLE_PROPERTY, Name): GetPayloadSize's term. */
#define UV_VAR_CHECK_PROPERTY_NAME_OFFSET 48u
/* edk2's EFI_VARIABLE_ATTRIBUTES_MASK: the bits SetVariable accepts (0x80 is not one). */
#define UV_SET_ATTR_MASK 0x7fu
/* EFI_VARIABLE_AUTHENTICATION_2: EFI_TIME, then WIN_CERTIFICATE_UEFI_GUID (24 bytes before
 * CertData). */
#define UV_AUTH2_CERT_OFFSET 40u

/* ---- var_store.c ---- */
bool uv_var_visible(const struct uefivars *uv, const struct uv_var *v);
void uv_var_free(struct uv_var *v);
/* Append v (its seq already set) at the end of the creation-order list. */
void uv_var_link(struct uefivars *uv, struct uv_var *v);
/* A fresh variable from an update (data copied); NULL when out of memory. */
struct uv_var *uv_var_from_update(const struct uv_update *u, uint64_t seq);
void uv_recount(struct uefivars *uv);
bool uv_has_nv(const struct uefivars *uv);

/* ---- var_quota.c ---- */
uint64_t uv_var_cost(size_t name_size, size_t data_size);
efi_status uv_quota_check(const struct uefivars *uv, const struct uv_update *ups, size_t n);
efi_status uv_query_info(const struct uefivars *uv, uint32_t attrs, struct mm_var_query_info *q);
uint64_t uv_payload_size(const struct uefivars *uv);

/* ---- var_set.c / var_get.c ---- */
efi_status uv_set_variable(struct uefivars *uv, const struct uv_set_req *req);
/* The visible variable after (guid, name) (name_size 2: the first); NOT_FOUND at the end,
 * INVALID_PARAMETER when (guid, name) is not a visible variable. */
efi_status uv_next_visible(const struct uefivars *uv, const efi_guid *guid, const uint16_t *name,
                           size_t name_size, const struct uv_var **next);

/* ---- var_name.c ---- */
/* An aligned, malloc'd copy of a name read from an (unaligned) buffer; NULL when out of memory. */
uint16_t *uv_name_copy(const void *src, size_t name_size);
uint16_t *uv_name_from_ascii(const char *ascii, size_t *name_size);
bool uv_name_eq(const uint16_t *a, size_t as, const uint16_t *b, size_t bs);

/* ---- var_log.c ---- */
void uv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Refusal classes beyond the MM variable functions (0..15). */
#define UV_LOG_UNKNOWN_GUID 16u
#define UV_LOG_SVSM_CALL 17u
#define UV_LOG_VARADMIN 18u
/* One log line per refusal class (function, status), the first time only; never names or data. */
void uv_log_refusal(struct uefivars *uv, const char *what, uint64_t fn, efi_status s);

/* ---- persist.c / persist_record.c ---- */
/* Stage ups[i] (fresh[i] the new variable of a UV_WRITE) in storaged and commit once. */
efi_status persist_changes(struct uefivars *uv, const struct uv_update *ups,
                           struct uv_var *const *fresh, size_t n);
/* Load every record (sorted by seq into uv->vars). *empty: the namespace held nothing. */
efi_status persist_load(struct uefivars *uv, bool *empty, size_t *loaded);
/* The storaged object name of a variable: "v-" + 40 hex digits (SHA-256 of guid + name, truncated).
 */
#define PERSIST_NAME_MAX 48
bool persist_object_name(const efi_guid *guid, const uint16_t *name, size_t name_size,
                         char out[PERSIST_NAME_MAX]);
#define PERSIST_META_NAME "uv-meta"
/* A record: malloc'd bytes (*len), NULL when out of memory. */
uint8_t *persist_record_encode(const struct uv_var *v, size_t *len);
/* A variable from a record; NULL (and a reason in why) when it does not parse. */
struct uv_var *persist_record_decode(const uint8_t *rec, size_t len, const char **why);

/* ---- var_default.c ---- */
/* *committed: a storaged commit was made (with whatever was staged before). */
efi_status uv_import_default(struct uefivars *uv, bool *committed);

/* ---- mm_*.c ---- */
void mm_variable(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len);
void mm_varadmin(struct uefivars *uv, uint8_t *msg, size_t len, size_t cap, size_t *out_len);
void uv_enter_phase(struct uefivars *uv, enum uv_phase p);

#endif
