/*
 * UEFI types and constants the variable service speaks (UEFI 2.10 §8.2,
 * §32; edk2 MdePkg). GUIDs are kept in their wire byte order (the first
 * three fields little-endian), as they appear in MM buffers and on disk.
 */
#ifndef UEFIVARS_EFI_H
#define UEFIVARS_EFI_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t efi_status;

#define EFI_ERR(n) (0x8000000000000000ull | (n))
#define EFI_SUCCESS 0ull
#define EFI_LOAD_ERROR EFI_ERR(1)
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_BAD_BUFFER_SIZE EFI_ERR(4)
#define EFI_BUFFER_TOO_SMALL EFI_ERR(5)
#define EFI_NOT_READY EFI_ERR(6)
#define EFI_DEVICE_ERROR EFI_ERR(7)
#define EFI_WRITE_PROTECTED EFI_ERR(8)
#define EFI_OUT_OF_RESOURCES EFI_ERR(9)
#define EFI_VOLUME_CORRUPTED EFI_ERR(10)
#define EFI_VOLUME_FULL EFI_ERR(11)
#define EFI_NOT_FOUND EFI_ERR(14)
#define EFI_TIMEOUT EFI_ERR(18)
#define EFI_ACCESS_DENIED EFI_ERR(15)
#define EFI_ALREADY_STARTED EFI_ERR(20)
#define EFI_ABORTED EFI_ERR(21)
#define EFI_INCOMPATIBLE_VERSION EFI_ERR(25)
#define EFI_SECURITY_VIOLATION EFI_ERR(26)
#define EFI_COMPROMISED_DATA EFI_ERR(33)

/* "EFI_NOT_FOUND", ... ("EFI status 0x...": buf) for logs and keel-varctl. */
const char *efi_status_name(efi_status s);

/* Variable attributes. */
#define EFI_VARIABLE_NON_VOLATILE 0x00000001u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x00000002u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x00000004u
#define EFI_VARIABLE_HARDWARE_ERROR_RECORD 0x00000008u
#define EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS 0x00000010u /* deprecated: refused */
#define EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS 0x00000020u
#define EFI_VARIABLE_APPEND_WRITE 0x00000040u
#define EFI_VARIABLE_ENHANCED_AUTHENTICATED_ACCESS 0x00000080u /* not supported */
/* The attributes a stored variable may carry (APPEND_WRITE is a write mode, never stored). */
#define EFI_VARIABLE_ATTRIBUTES_MASK 0x000000bfu

typedef struct {
	uint8_t b[16];
} efi_guid;
_Static_assert(sizeof(efi_guid) == 16, "efi_guid");

/* A GUID initializer from its textual fields: EFI_GUID_INIT(0x8be4df61, 0x93ca, 0x11d2, 0xaa, 0x0d, ...). */
#define EFI_GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)                                   \
	{                                                                                        \
		{ (uint8_t)(a), (uint8_t)((a) >> 8), (uint8_t)((a) >> 16), (uint8_t)((a) >> 24),  \
		  (uint8_t)(b), (uint8_t)((b) >> 8), (uint8_t)(c), (uint8_t)((c) >> 8), d0, d1, d2, \
		  d3, d4, d5, d6, d7 }                                                              \
	}

/* EFI_TIME, 16 bytes. Authenticated variables keep the timestamp of their last accepted write. */
struct efi_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t timezone;
	uint8_t daylight, pad2;
} __attribute__((packed));
_Static_assert(sizeof(struct efi_time) == 16, "EFI_TIME is 16 bytes");

/* Well-known GUIDs (guids.c). */
extern const efi_guid efi_global_variable_guid;        /* 8be4df61-93ca-11d2-aa0d-00e098032b8c */
extern const efi_guid efi_image_security_database_guid; /* d719b2cb-3d3a-4596-a3bc-dad00e67656f */
extern const efi_guid efi_hardware_error_variable_guid; /* 414e6bdd-e47b-47cc-b244-bb61020cf516 */
extern const efi_guid efi_custom_mode_enable_guid;      /* c076ec0c-7028-4399-a072-71ee5c448b9f */
extern const efi_guid efi_secure_boot_enable_disable_guid; /* f0a30bc7-af08-4556-99c4-001009c93a44 */
extern const efi_guid efi_vendor_keys_nv_guid;          /* 9073e4e0-60ec-4b6e-9903-4c223c260f3c */
extern const efi_guid efi_cert_x509_guid;               /* a5c059a1-94e4-4aa7-87b5-ab155c2bf072 */
extern const efi_guid efi_cert_sha256_guid;             /* c1c41626-504c-4092-aca9-41f936934328 */
extern const efi_guid efi_cert_type_pkcs7_guid;         /* 4aafd29d-68df-49ee-8aa9-347d375665a7 */
/* MM communicate header GUIDs (mm_wire.h). */
extern const efi_guid mm_variable_guid;      /* ed32d533-99e6-4209-9cc0-2d72cdd998a7 gEfiSmmVariableProtocolGuid */
extern const efi_guid mm_var_policy_guid;    /* da1b0d11-d1a7-46c4-9dc9-f3714875c6eb gVarCheckPolicyLibMmiHandlerGuid */
extern const efi_guid mm_end_of_dxe_guid;    /* 02ce967a-dd7e-4ffc-9ee7-810cf0470880 */
extern const efi_guid mm_ready_to_boot_guid; /* 7ce88fb3-4bd7-4679-87a8-a8d8dee50d2b */
extern const efi_guid mm_exit_boot_services_guid; /* 27abf055-b1b8-4c26-8048-748f37baa2df */
extern const efi_guid keel_varadmin_guid;    /* 4b65656c-5661-7273-8e1a-6b65656c0004 Keel's own (mm_wire.h) */

static inline int efi_guid_eq(const efi_guid *a, const efi_guid *b)
{
	for (int i = 0; i < 16; i++)
		if (a->b[i] != b->b[i])
			return 0;
	return 1;
}

#endif
