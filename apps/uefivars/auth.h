/*
 * Internals of the authenticated-variable module (auth_*.c, secureboot*.c;
 * docs/secure-boot.md). The module's interface to the rest of the service
 * is in uefivars.h; this header is shared only between its own files.
 *
 * Reference: UEFI 2.10 §8.2.2 (EFI_VARIABLE_AUTHENTICATION_2), §32.4
 * (signature lists), §32.3 (PK/KEK/db rules); edk2
 * SecurityPkg/Library/AuthVariableLib/AuthService.c.
 */
#ifndef UEFIVARS_AUTH_H
#define UEFIVARS_AUTH_H

#include "uefivars.h"

/* ---- the EFI_VARIABLE_AUTHENTICATION_2 descriptor (auth_descriptor.c) ---- */

/* EFI_TIME (16) + WIN_CERTIFICATE (dwLength 4, wRevision 2, wCertificateType 2) + CertType (16):
 * edk2's OFFSET_OF_AUTHINFO2_CERT_DATA. The PKCS#7 data follows. */
#define AUTH2_CERT_DATA_OFFSET 40u
#define AUTH2_WIN_CERT_OFFSET 16u   /* OFFSET_OF (EFI_VARIABLE_AUTHENTICATION_2, AuthInfo) */
#define AUTH2_WIN_CERT_HDR_SIZE 24u /* OFFSET_OF (WIN_CERTIFICATE_UEFI_GUID, CertData) */
#define WIN_CERT_REVISION_2_0 0x0200u
#define WIN_CERT_TYPE_EFI_GUID 0x0EF1u

struct auth2 {
	struct efi_time time;
	uint16_t revision, cert_type;
	efi_guid cert_guid;
	const uint8_t *sig; /* the PKCS#7 blob (bare SignedData or ContentInfo) */
	size_t sig_len;
	const uint8_t *payload; /* the new value (or the entries to append) */
	size_t payload_len;
};

/*
 * Split a write's data into descriptor and payload, checking only the
 * lengths (edk2 Variable.c's sanity check: EFI_SECURITY_VIOLATION when
 * the data is shorter than the descriptor or dwLength does not fit).
 */
efi_status auth2_split(const uint8_t *data, size_t size, struct auth2 *out);

/* The descriptor's own checks before any signature work (VerifyTimeBasedPayload):
 * zero pad/nanosecond/timezone/daylight, certificate type PKCS#7, SHA-256 digest. */
efi_status auth2_check(const struct auth2 *a);

/* a > b on year..second, as edk2 compares (nanosecond etc. are zero). */
bool auth_time_after(const struct efi_time *a, const struct efi_time *b);

/* The bytes the signature covers: name (no NUL) ‖ GUID ‖ attributes ‖ timestamp ‖ payload.
 * malloc'd into *out; EFI_OUT_OF_RESOURCES. */
efi_status auth2_signed_bytes(const struct uv_set_req *req, const struct auth2 *a, uint8_t **out,
                              size_t *out_len);

/* ---- PKCS#7 (auth_pkcs7.c, OpenSSL) ---- */

/* Does the SignedData in sig verify over data, chained to the DER certificate
 * `trusted` (the trust anchor; partial chains allowed, no time check, any purpose)? */
bool auth_pkcs7_verify(const uint8_t *sig, size_t sig_len, const uint8_t *trusted,
                       size_t trusted_len, const uint8_t *data, size_t data_len);

/*
 * edk2's Pkcs7GetSigners: the first certificate in the SignedData (taken as
 * the signer) and the last one (the top-level issuer), DER, malloc'd.
 * false when the blob does not parse or carries no certificate.
 */
struct auth_signers {
	uint8_t *signer, *top;
	size_t signer_len, top_len;
};
bool auth_pkcs7_signers(const uint8_t *sig, size_t sig_len, struct auth_signers *out);
void auth_signers_free(struct auth_signers *s);

/* A DER certificate parses as X.509 (CheckSignatureListFormat's test). */
bool auth_x509_parses(const uint8_t *der, size_t len);

/* ---- signature lists (auth_siglist.c) ---- */

#define SIGLIST_HDR_SIZE                                                                           \
	28u /* EFI_SIGNATURE_LIST: type 16, list size 4, header size 4, sig size 4 */

/* One EFI_SIGNATURE_LIST, its fields read from the wire and bounds-checked. */
struct siglist {
	efi_guid type;
	uint32_t list_size, header_size, sig_size;
	const uint8_t *entries; /* sig_size bytes each: owner GUID (16) + data */
	size_t count;
};

/* Iterate: *off starts at 0. 1 = one list in *out, 0 = the end, -1 = malformed. */
int siglist_next(const uint8_t *data, size_t size, size_t *off, struct siglist *out);

/* CheckSignatureListFormat for PK (one entry in all), KEK, db, dbx, dbt, dbr:
 * EFI_SUCCESS or EFI_INVALID_PARAMETER. Other variables: EFI_SUCCESS. */
efi_status siglist_check_format(const efi_guid *guid, const uint16_t *name, size_t name_size,
                                const uint8_t *data, size_t size);

/*
 * FilterSignatureList: the entries of `add` that are not already in `old`,
 * each list header kept once for its surviving entries. Writes them to out
 * (room for add_size bytes) and returns the length.
 */
size_t siglist_filter(const uint8_t *old, size_t old_size, const uint8_t *add, size_t add_size,
                      uint8_t *out);

/* The first X.509 certificate of a list (PK's: its only entry); false if none. */
bool siglist_first_x509(const uint8_t *data, size_t size, const uint8_t **der, size_t *len);

/* The GUIDs edk2 advertises in SignatureSupport (SHA-1, SHA-256, RSA2048, X.509). */
extern const efi_guid siglist_supported[4];

/* ---- private authenticated variables (auth_private.c) ---- */

/* CalculatePrivAuthVarSignChainSHA256Digest: SHA-256 (signer CN ‖ top-level tbsCertificate). */
bool auth_private_digest(const struct auth_signers *s, uint8_t digest[32]);

/* ---- the variables Secure Boot knows by name (secureboot_names.c) ---- */

enum sb_var {
	SB_NONE = 0,
	SB_PK,
	SB_KEK,
	SB_DB, /* db, dbx, dbt, dbr: d719b2cb image security database */
	SB_SECURE_BOOT_ENABLE,
	SB_CUSTOM_MODE,
};
enum sb_var sb_classify(const efi_guid *guid, const uint16_t *name, size_t name_size);

/* Values of the mode variables (edk2 AuthenticatedVariableFormat.h). */
#define SB_SETUP_MODE 1u
#define SB_USER_MODE 0u
#define SB_CUSTOM_MODE_ON 1u
#define SB_ENABLE 1u
#define SB_VENDOR_KEYS_VALID 1u
#define SB_VENDOR_KEYS_MODIFIED 0u

/* Physical presence (edk2 UserPhysicalPresent): Keel has no button. OVMF
 * answers "present" always; Keel answers it until ExitBootServices, so the
 * firmware's own enrolment (EnrollDefaultKeys, the Secure Boot setup page,
 * both after EndOfDxe) works and the OS never has it (docs/secure-boot.md). */
static inline bool sb_physical_presence(const struct uefivars *uv)
{
	return uv->phase < UV_PHASE_RUNTIME;
}

/* UCS-2 names (NUL-terminated; sizeof includes the NUL) of the variables auth writes itself. */
extern const uint16_t sb_name_pk[3], sb_name_kek[4], sb_name_secure_boot_enable[17],
    sb_name_custom_mode[11], sb_name_vendor_keys_nv[13];

/* Look a variable up by its UCS-2 name array. */
#define SB_FIND(uv, guid, arr) uv_find((uv), (guid), (arr), sizeof(arr))

/* ---- building the result (auth_result.c) ---- */

/* Append one update (its pointers must outlive the result: the request, scratch, or static). */
efi_status auth_result_add(struct auth_result *res, const struct uv_update *up);
/* Write (size 1, *value static) or delete (value NULL) a non-volatile mode variable. */
efi_status auth_result_mode_var(struct auth_result *res, const efi_guid *guid, const uint16_t *name,
                                size_t name_size, uint32_t attrs, const uint8_t *value);

#endif
